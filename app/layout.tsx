import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type * as React from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "DafnckMachine", template: "%s · DafnckMachine" },
  description:
    "An agent swarm for your organization: plan a software goal into phases and tasks, run specialist agents in parallel, and ship with reviewer gates and human approvals.",
  applicationName: "DafnckMachine",
  icons: { icon: { url: "/favicon.svg", type: "image/svg+xml" } },
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

// Reading the request makes every page render per request, which the CSP nonce needs: a page
// prerendered at build time would carry no nonce and its scripts would be refused.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // next-themes sets the theme class on <html> before hydration.
    <html lang="en" suppressHydrationWarning data-scroll-behavior="smooth">
      <body className="min-h-dvh">
        <Providers nonce={nonce}>{children}</Providers>
      </body>
    </html>
  );
}
