"use client";

import { Building2Icon, CheckIcon, ChevronsUpDownIcon, PlusIcon } from "lucide-react";
import Link from "next/link";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { cn, initials } from "@/lib/utils";
import type { ShellOrg, ShellOrgMembership } from "./types";

function OrgAvatar({ name, className }: { name: string; className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        "flex size-6 shrink-0 items-center justify-center rounded-md bg-primary font-semibold text-[10px] text-primary-foreground",
        className,
      )}
    >
      {initials(name)}
    </span>
  );
}

function roleLabel(role: string) {
  return role.charAt(0).toUpperCase() + role.slice(1);
}

type OrgSwitcherProps = {
  org: ShellOrg;
  orgs: ShellOrgMembership[];
  onNavigate?: () => void;
};

export function OrgSwitcher({ org, orgs, onNavigate }: OrgSwitcherProps) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex h-10 w-full items-center gap-2 rounded-md px-2 text-left text-sm outline-none transition-colors hover:bg-sidebar-accent focus-visible:ring-[3px] focus-visible:ring-ring/50 data-[state=open]:bg-sidebar-accent"
        aria-label={`Organization: ${org.name}. Switch organization`}
      >
        <OrgAvatar name={org.name} />
        <span className="min-w-0 flex-1 truncate font-medium">{org.name}</span>
        <ChevronsUpDownIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-(--radix-dropdown-menu-trigger-width) min-w-60">
        <DropdownMenuLabel className="text-muted-foreground text-xs">Organizations</DropdownMenuLabel>
        {orgs.map((item) => (
          <DropdownMenuItem key={item.slug} asChild onSelect={onNavigate}>
            <Link href={`/${item.slug}`} aria-current={item.slug === org.slug ? "page" : undefined}>
              <OrgAvatar name={item.name} className="size-5 text-[9px]" />
              <span className="min-w-0 flex-1 truncate">{item.name}</span>
              <span className="text-muted-foreground text-xs">{roleLabel(item.role)}</span>
              <CheckIcon className={cn("size-4", item.slug !== org.slug && "invisible")} aria-hidden="true" />
            </Link>
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild onSelect={onNavigate}>
          <Link href="/orgs">
            <Building2Icon />
            All organizations
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild onSelect={onNavigate}>
          <Link href="/orgs?new=1">
            <PlusIcon />
            Create organization
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
