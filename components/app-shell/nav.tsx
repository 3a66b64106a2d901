"use client";

import {
  BookOpenIcon,
  BotIcon,
  FolderKanbanIcon,
  KeyRoundIcon,
  LayoutDashboardIcon,
  LibraryIcon,
  type LucideIcon,
  PlugIcon,
  ScrollTextIcon,
  SettingsIcon,
  ShieldCheckIcon,
  SparklesIcon,
  UsersIcon,
  WebhookIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

type NavItem = { label: string; path: string; icon: LucideIcon; permission?: string };

const SECTIONS: { label?: string; items: NavItem[] }[] = [
  {
    items: [
      { label: "Dashboard", path: "", icon: LayoutDashboardIcon },
      { label: "Projects", path: "/projects", icon: FolderKanbanIcon },
      { label: "Agents", path: "/agents", icon: BotIcon, permission: "runs.read" },
      { label: "Knowledge", path: "/knowledge", icon: LibraryIcon, permission: "knowledge.read" },
    ],
  },
  {
    label: "Organization",
    items: [
      { label: "Members", path: "/members", icon: UsersIcon, permission: "members.read" },
      { label: "Settings", path: "/settings", icon: SettingsIcon, permission: "org.manage" },
      { label: "AI settings", path: "/settings/ai", icon: SparklesIcon, permission: "org.manage" },
      { label: "SSO", path: "/settings/sso", icon: ShieldCheckIcon, permission: "sso.manage" },
      { label: "Audit log", path: "/audit", icon: ScrollTextIcon, permission: "audit.read" },
    ],
  },
  {
    label: "Integrations",
    items: [
      { label: "API keys", path: "/settings/api-keys", icon: KeyRoundIcon, permission: "api_keys.manage" },
      { label: "MCP servers", path: "/settings/mcp", icon: PlugIcon, permission: "integrations.manage" },
      { label: "Webhooks", path: "/settings/webhooks", icon: WebhookIcon, permission: "integrations.manage" },
      { label: "API reference", path: "/docs/api", icon: BookOpenIcon },
    ],
  },
];

type AppNavProps = {
  orgSlug: string;
  permissions: string[];
  /** Called when a link is clicked (the mobile sheet closes itself with it). */
  onNavigate?: () => void;
  className?: string;
};

/** Org navigation; shows only the links the member's permissions allow. */
export function AppNav({ orgSlug, permissions, onNavigate, className }: AppNavProps) {
  const pathname = usePathname();
  const sections = SECTIONS.map((section) => ({
    ...section,
    items: section.items
      .filter((item) => !item.permission || permissions.includes(item.permission))
      .map((item) => ({ ...item, href: `/${orgSlug}${item.path}` })),
  })).filter((section) => section.items.length > 0);

  // The most specific matching link wins, so /settings/sso highlights "SSO" and not "Settings".
  const activeHref = sections
    .flatMap((section) => section.items.map((item) => item.href))
    .filter((href) => pathname === href || pathname.startsWith(`${href}/`))
    .sort((a, b) => b.length - a.length)[0];

  return (
    <nav aria-label="Organization" className={cn("flex flex-col gap-5", className)}>
      {sections.map((section, index) => (
        <div key={section.label ?? index} className="flex flex-col gap-0.5">
          {section.label && (
            <p className="px-2 pb-1 font-medium text-muted-foreground text-xs uppercase tracking-wide">
              {section.label}
            </p>
          )}
          {section.items.map(({ href, label, icon: Icon }) => {
            const active = href === activeHref;
            return (
              <Link
                key={href}
                href={href}
                onClick={onNavigate}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex h-8 items-center gap-2.5 rounded-md px-2 text-sm outline-none transition-colors focus-visible:ring-[3px] focus-visible:ring-ring/50",
                  active
                    ? "bg-sidebar-accent font-medium text-sidebar-accent-foreground"
                    : "text-muted-foreground hover:bg-sidebar-accent/60 hover:text-sidebar-foreground",
                )}
              >
                <Icon className={cn("size-4 shrink-0", active && "text-primary")} aria-hidden="true" />
                {label}
              </Link>
            );
          })}
        </div>
      ))}
    </nav>
  );
}
