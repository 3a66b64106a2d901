import { CircleCheckIcon, CircleMinusIcon, CircleXIcon, ShieldAlertIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { CheckKind, CheckStatus, SandboxDriverName } from "@/lib/checks/kinds";
import { cn } from "@/lib/utils";
import {
  CHECK_KIND_LABEL,
  CHECK_STATUS_LABEL,
  type CheckTone,
  checkReason,
  checkTone,
  driverLabel,
  formatCheckDuration,
  formatCounts,
} from "./format";

/** What a badge needs of a check: the run's event or the stored row both have it. */
export type CheckBadgeCheck = {
  status: CheckStatus;
  kind?: CheckKind;
  passed?: number | null;
  failed?: number | null;
  skipped?: number | null;
  durationMs?: number | null;
  driver?: SandboxDriverName | null;
  reason?: string | null;
};

export const TONE_CLASS: Record<CheckTone, string> = {
  passed: "border-success/30 bg-success/10 text-success dark:bg-success/15",
  failed: "border-destructive/30 bg-destructive/10 text-destructive dark:bg-destructive/20",
  neutral: "border-border bg-muted text-muted-foreground",
};

export function ToneIcon({ tone, className }: { tone: CheckTone; className?: string }) {
  const Icon = tone === "passed" ? CircleCheckIcon : tone === "failed" ? CircleXIcon : CircleMinusIcon;
  return <Icon aria-hidden="true" className={cn("size-3.5 shrink-0", className)} />;
}

/** Marks a command that ran on the host without a sandbox (an operator's explicit setting). */
export function UnsandboxedLabel({ className }: { className?: string }) {
  return (
    <Badge variant="warning" className={cn("gap-1", className)} title="Ran on the host without a sandbox">
      <ShieldAlertIcon aria-hidden="true" />
      unsandboxed
    </Badge>
  );
}

/**
 * A check's result: green passed, red failed, grey skipped or could not run; the test counts
 * ("12 passed · 1 failed") and the duration when known.
 */
export function CheckBadge({
  check,
  sandboxUnavailable = false,
  showReason = true,
  className,
}: {
  check: CheckBadgeCheck;
  /** The run said this host cannot execute code: a skipped check says so. */
  sandboxUnavailable?: boolean;
  showReason?: boolean;
  className?: string;
}) {
  const tone = checkTone(check.status);
  const counts = formatCounts({
    passed: check.passed ?? null,
    failed: check.failed ?? null,
    skipped: check.skipped ?? null,
  });
  const reason = showReason ? checkReason({ ...check, sandboxUnavailable }) : null;
  const label = `${check.kind ? CHECK_KIND_LABEL[check.kind] : "Check"} ${CHECK_STATUS_LABEL[check.status]}`;
  const unsandboxed = driverLabel(check.driver);
  return (
    <span className={cn("inline-flex flex-wrap items-center gap-1.5", className)} data-slot="check-badge">
      <span
        data-status={check.status}
        className={cn(
          "inline-flex w-fit max-w-full flex-wrap items-center gap-x-1 rounded-md border px-2 py-0.5 font-medium text-xs [&>span]:whitespace-nowrap",
          TONE_CLASS[tone],
        )}
      >
        <ToneIcon tone={tone} className="size-3" />
        <span>{label}</span>
        {counts?.split(" · ").map((part) => (
          <span key={part} className="font-normal tabular-nums">
            · {part}
          </span>
        ))}
        {check.durationMs != null && check.status !== "skipped" && (
          <span className="font-normal tabular-nums opacity-80">
            · {formatCheckDuration(check.durationMs)}
          </span>
        )}
      </span>
      {unsandboxed && <UnsandboxedLabel />}
      {reason && <span className="text-muted-foreground text-xs">{reason}</span>}
    </span>
  );
}
