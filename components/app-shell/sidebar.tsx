"use client";

import Link from "next/link";
import { Logo } from "@/components/brand/logo";
import { AppNav } from "./nav";
import { OrgSwitcher } from "./org-switcher";
import type { ShellOrg, ShellOrgMembership } from "./types";

type SidebarContentProps = {
  org: ShellOrg;
  orgs: ShellOrgMembership[];
  permissions: string[];
  onNavigate?: () => void;
};

/** Sidebar body shared by the desktop column and the mobile sheet. */
export function SidebarContent({ org, orgs, permissions, onNavigate }: SidebarContentProps) {
  return (
    <div className="flex h-full flex-col">
      <div className="p-3">
        <OrgSwitcher org={org} orgs={orgs} onNavigate={onNavigate} />
      </div>
      <AppNav
        orgSlug={org.slug}
        permissions={permissions}
        onNavigate={onNavigate}
        className="flex-1 overflow-y-auto px-3 py-2"
      />
      <div className="border-sidebar-border border-t p-3">
        <Link
          href="/"
          onClick={onNavigate}
          className="inline-flex rounded-md px-2 py-1 text-muted-foreground outline-none transition-colors hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          <Logo className="[&_svg]:size-5 [&>span:last-child]:text-sm" />
        </Link>
      </div>
    </div>
  );
}
