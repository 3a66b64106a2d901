"use client";

import { ChevronRightIcon } from "lucide-react";
import { useState } from "react";
import type { CheckInfo } from "@/lib/checks/read/check-info";
import type { RunCheck } from "@/lib/runs/view-state";
import { cn } from "@/lib/utils";
import { CheckBadge, type CheckBadgeCheck } from "./check-badge";
import { CheckLogViewer } from "./log-viewer";

/** The badge's fields from the run's event, completed by the stored row when it is loaded. */
export function badgeCheckOf(check: RunCheck, stored?: CheckInfo): CheckBadgeCheck {
  return {
    status: stored?.status ?? check.status,
    kind: check.kind,
    passed: stored?.counts?.passed ?? check.passed,
    failed: stored?.counts?.failed ?? check.failed,
    skipped: stored?.counts?.skipped ?? null,
    durationMs: check.durationMs,
    driver: stored?.driver ?? check.driver,
    reason: stored?.reason ?? null,
  };
}

/** A check's result with its log a click away (loaded only when opened). */
export function CheckResult({
  check,
  stored,
  checksUrl,
  sandboxUnavailable,
  className,
}: {
  check: RunCheck;
  stored?: CheckInfo;
  /** The run's checks route; the log is fetched from `${checksUrl}/${check.id}`. */
  checksUrl?: string;
  sandboxUnavailable?: boolean;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const badge = <CheckBadge check={badgeCheckOf(check, stored)} sandboxUnavailable={sandboxUnavailable} />;
  const hasLog = check.status !== "skipped" && Boolean(checksUrl);
  return (
    <div data-slot="check-result" data-check-id={check.id} className={cn("space-y-2", className)}>
      {hasLog ? (
        <button
          type="button"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
          className="group flex w-full items-center gap-1.5 rounded-md text-left focus-visible:outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          <ChevronRightIcon
            aria-hidden="true"
            className={cn(
              "size-3.5 shrink-0 text-muted-foreground transition-transform",
              open && "rotate-90",
            )}
          />
          {badge}
          <span className="sr-only">{open ? "Hide the log" : "Show the log"}</span>
        </button>
      ) : (
        badge
      )}
      {open && checksUrl && <CheckLogViewer url={`${checksUrl}/${check.id}`} />}
    </div>
  );
}
