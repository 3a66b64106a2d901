"use client";

import { TriangleAlertIcon } from "lucide-react";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";

type ErrorStateProps = { error: unknown; retry: () => void };

/** Friendly fallback for error boundaries: no message or stack, only a reference to match server logs. */
export function ErrorState({ error, retry }: ErrorStateProps) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  const digest =
    error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;

  return (
    <div className="flex min-h-[60dvh] flex-col items-center justify-center px-4 py-16 text-center">
      <div className="mb-4 flex size-11 items-center justify-center rounded-lg border bg-muted text-muted-foreground">
        <TriangleAlertIcon className="size-5" aria-hidden="true" />
      </div>
      <h1 className="font-semibold text-xl tracking-tight">Something went wrong</h1>
      <p className="mt-2 max-w-md text-muted-foreground text-sm">
        An unexpected error stopped this page from loading. Try again; if it keeps happening, contact your
        administrator{digest ? " with the reference below" : ""}.
      </p>
      {digest && (
        <p className="mt-3 font-mono text-muted-foreground text-xs">
          Reference: <span className="select-all">{digest}</span>
        </p>
      )}
      <div className="mt-6 flex gap-2">
        <Button onClick={() => retry()}>Try again</Button>
        <Button asChild variant="outline">
          {/* A full page load, so a broken client state does not follow the user home. */}
          <a href="/">Go home</a>
        </Button>
      </div>
    </div>
  );
}
