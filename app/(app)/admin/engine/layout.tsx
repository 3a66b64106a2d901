import Link from "next/link";
import { connection } from "next/server";
import type * as React from "react";
import { UserMenu } from "@/components/app-shell/user-menu";
import { Logo } from "@/components/brand/logo";
import { requireInstanceAdmin } from "./instance-admin";

/** Operator pages (instance admins only): their own chrome, outside any organization. */
export default async function EngineAdminLayout({ children }: { children: React.ReactNode }) {
  await connection();
  const user = await requireInstanceAdmin();
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex h-14 items-center justify-between border-b bg-background px-4 sm:px-6">
        <div className="flex items-center gap-3">
          <Link
            href="/"
            aria-label="DafnckMachine home"
            className="rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
          >
            <Logo />
          </Link>
          <span className="text-muted-foreground text-sm">/</span>
          <Link href="/admin/engine" className="font-medium text-sm">
            Engine
          </Link>
        </div>
        <UserMenu user={{ name: user.name, email: user.email }} />
      </header>
      <main className="mx-auto w-full max-w-6xl px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}
