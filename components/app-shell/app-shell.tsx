import type * as React from "react";
import { MobileNav } from "./mobile-nav";
import { SidebarContent } from "./sidebar";
import type { ShellOrg, ShellOrgMembership, ShellUser } from "./types";
import { UserMenu } from "./user-menu";

type AppShellProps = {
  org: ShellOrg;
  orgs: ShellOrgMembership[];
  user: ShellUser;
  /** The member's permissions in `org`; nav links needing others are hidden. */
  permissions: string[];
  children: React.ReactNode;
};

/** The signed-in frame for `/[org]/...` pages: sidebar, top bar with the user menu, and the content area. */
export function AppShell({ org, orgs, user, permissions, children }: AppShellProps) {
  return (
    <div className="flex min-h-dvh">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-background px-3 py-2 text-sm shadow focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
      >
        Skip to content
      </a>
      <aside className="sticky top-0 hidden h-dvh w-60 shrink-0 border-sidebar-border border-r bg-sidebar text-sidebar-foreground md:block">
        <SidebarContent org={org} orgs={orgs} permissions={permissions} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-40 flex h-14 items-center gap-2 border-b bg-background/80 px-4 backdrop-blur supports-[backdrop-filter]:bg-background/60 sm:px-6">
          <MobileNav org={org} orgs={orgs} permissions={permissions} />
          <span className="truncate font-medium text-sm md:hidden">{org.name}</span>
          <div className="ml-auto flex items-center gap-2">
            <UserMenu user={user} />
          </div>
        </header>
        <main
          id="main"
          tabIndex={-1}
          className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 outline-none sm:px-6 lg:px-8 lg:py-8"
        >
          {children}
        </main>
      </div>
    </div>
  );
}
