import type { Metadata } from "next";
import Link from "next/link";
import { Logo } from "@/components/brand/logo";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

// Also shown for organizations and resources the visitor cannot see, so the wording does not confirm they exist.
export default function NotFound() {
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center px-4 py-16 text-center">
      <Link
        href="/"
        aria-label="DafnckMachine home"
        className="mb-10 rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
      >
        <Logo />
      </Link>
      <p className="font-mono font-semibold text-primary text-sm">404</p>
      <h1 className="mt-2 font-semibold text-2xl tracking-tight">Page not found</h1>
      <p className="mt-2 max-w-md text-muted-foreground text-sm">
        This page doesn't exist, or you don't have access to it. Check the address, or go back to your
        organizations.
      </p>
      <div className="mt-6 flex gap-2">
        <Button asChild>
          <Link href="/orgs">Your organizations</Link>
        </Button>
        <Button asChild variant="outline">
          <Link href="/">Home</Link>
        </Button>
      </div>
    </div>
  );
}
