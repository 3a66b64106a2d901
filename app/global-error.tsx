"use client";

import { useEffect } from "react";
import { ErrorState } from "@/components/states/error-state";
import "./globals.css";

/** Replaces the root layout when it fails, so it brings its own document, styles and theme. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    // next-themes is not mounted here; apply the stored or system theme ourselves.
    const stored = localStorage.getItem("theme");
    const dark =
      stored === "dark" || (stored !== "light" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    document.documentElement.classList.toggle("dark", dark);
  }, []);

  return (
    <html lang="en">
      <body className="min-h-dvh bg-background text-foreground">
        <title>Something went wrong · DafnckMachine</title>
        <ErrorState error={error} retry={retry} />
      </body>
    </html>
  );
}
