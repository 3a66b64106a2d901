import type * as React from "react";

/** Sign-in, sign-up and email-link pages: each renders an AuthCard, centered on its own. */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return <main>{children}</main>;
}
