import Link from "next/link";
import type * as React from "react";
import { Logo } from "@/components/brand/logo";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

type AuthCardProps = {
  title: React.ReactNode;
  description?: React.ReactNode;
  children: React.ReactNode;
  /** Shown under the card, e.g. "Don't have an account? Sign up". */
  footer?: React.ReactNode;
};

/** Full-page centered card for sign-in, sign-up, password reset and similar pages. */
export function AuthCard({ title, description, children, footer }: AuthCardProps) {
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center bg-muted/40 px-4 py-12">
      <Link
        href="/"
        className="mb-8 rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
        aria-label="DafnckMachine home"
      >
        <Logo />
      </Link>
      <Card className="w-full max-w-[400px]">
        <CardHeader className="text-center">
          <CardTitle className="text-xl">
            <h1>{title}</h1>
          </CardTitle>
          {description && <CardDescription>{description}</CardDescription>}
        </CardHeader>
        <CardContent>{children}</CardContent>
      </Card>
      {footer && <div className="mt-6 text-center text-muted-foreground text-sm">{footer}</div>}
    </div>
  );
}
