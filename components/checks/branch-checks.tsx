import { GitBranchIcon } from "lucide-react";
import { cn } from "@/lib/utils";
import { TONE_CLASS, ToneIcon } from "./check-badge";
import { type CheckTone, formatCheckDuration, formatCounts } from "./format";

export type BranchChecksSummaryLike = {
  status: "passed" | "failed" | "skipped";
  passed: number;
  failed: number;
  durationMs: number;
};

const BRANCH_LABEL = { passed: "green", failed: "red", skipped: "not checked" } as const;
const toneOf = (status: BranchChecksSummaryLike["status"]): CheckTone =>
  status === "skipped" ? "neutral" : status;

/** A branch's check status in one badge: "Branch green · 12 passed · 3.4 s". */
export function BranchCheckBadge({
  summary,
  label = "Branch",
  className,
}: {
  summary: BranchChecksSummaryLike;
  label?: string;
  className?: string;
}) {
  const tone = toneOf(summary.status);
  const counts = formatCounts(
    summary.passed || summary.failed
      ? { passed: summary.passed, failed: summary.failed }
      : { passed: null, failed: null },
  );
  return (
    <span
      data-slot="branch-check-badge"
      data-status={summary.status}
      className={cn(
        "inline-flex w-fit max-w-full flex-wrap items-center gap-x-1 rounded-md border px-2 py-0.5 font-medium text-xs [&>span]:whitespace-nowrap",
        TONE_CLASS[tone],
        className,
      )}
    >
      <GitBranchIcon aria-hidden="true" className="size-3" />
      <span>{label ? `${label} ${BRANCH_LABEL[summary.status]}` : BRANCH_LABEL[summary.status]}</span>
      <ToneIcon tone={tone} className="size-3" />
      {counts?.split(" · ").map((part) => (
        <span key={part} className="font-normal tabular-nums">
          · {part}
        </span>
      ))}
      {summary.durationMs > 0 && (
        <span className="font-normal tabular-nums opacity-80">
          · {formatCheckDuration(summary.durationMs)}
        </span>
      )}
    </span>
  );
}
