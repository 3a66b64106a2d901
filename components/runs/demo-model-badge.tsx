import { FlaskConicalIcon } from "lucide-react";
import { DEMO_MODEL_LABEL } from "@/lib/ai/demo-label";
import { cn } from "@/lib/utils";

type DemoModelBadgeProps = {
  /** `badge` sits next to a title; `banner` spans the top of a feed or document. */
  variant?: "badge" | "banner";
  className?: string;
};

/**
 * Marks output written by the scripted demo model, so nobody mistakes it for AI output. Shown
 * wherever that output appears: the run header, the live feed and every artifact.
 */
export function DemoModelBadge({ variant = "badge", className }: DemoModelBadgeProps) {
  if (variant === "banner") {
    return (
      <div
        data-slot="demo-model-banner"
        className={cn(
          "flex items-center gap-2 rounded-md border border-warning/40 bg-warning/10 px-3 py-2 font-medium text-sm text-warning",
          className,
        )}
      >
        <FlaskConicalIcon aria-hidden="true" className="size-4 shrink-0" />
        <span>{DEMO_MODEL_LABEL}</span>
      </div>
    );
  }
  return (
    <span
      data-slot="demo-model-badge"
      className={cn(
        "inline-flex w-fit shrink-0 items-center gap-1.5 rounded-md border border-warning/40 bg-warning/10 px-2 py-0.5 font-medium text-warning text-xs",
        className,
      )}
    >
      <FlaskConicalIcon aria-hidden="true" className="size-3.5" />
      {DEMO_MODEL_LABEL}
    </span>
  );
}
