import { Badge } from "@/components/ui/badge";
import type { RunStatus } from "@/lib/runs/events";
import type { TaskPriority } from "@/lib/runs/plan";
import type { TaskStatus } from "@/lib/runs/schedule";
import { cn } from "@/lib/utils";

type RunStatusMeta = { label: string; className: string; pulse?: boolean };

/** Colours use the theme tokens, so they hold in light and dark mode. */
export const RUN_STATUS_META: Record<RunStatus, RunStatusMeta> = {
  queued: { label: "Queued", className: "bg-secondary text-secondary-foreground" },
  planning: { label: "Planning", className: "bg-primary/10 text-primary dark:bg-primary/20", pulse: true },
  running: { label: "Running", className: "bg-primary/10 text-primary dark:bg-primary/20", pulse: true },
  waiting_approval: {
    label: "Waiting for approval",
    className: "bg-warning/10 text-warning dark:bg-warning/15",
  },
  completed: { label: "Completed", className: "bg-success/10 text-success dark:bg-success/15" },
  failed: { label: "Failed", className: "bg-destructive/10 text-destructive dark:bg-destructive/20" },
  cancelled: { label: "Cancelled", className: "bg-secondary text-muted-foreground" },
  budget_exhausted: { label: "Budget exhausted", className: "bg-warning/10 text-warning dark:bg-warning/15" },
};

export function RunStatusBadge({ status, className }: { status: RunStatus; className?: string }) {
  const meta = RUN_STATUS_META[status];
  return (
    <Badge className={cn("border-transparent", meta.className, className)}>
      {meta.pulse && (
        <span aria-hidden="true" className="relative flex size-2">
          <span className="absolute inline-flex size-full animate-ping rounded-full bg-current opacity-50 motion-reduce:animate-none" />
          <span className="relative inline-flex size-2 rounded-full bg-current" />
        </span>
      )}
      {meta.label}
    </Badge>
  );
}

type TaskStatusMeta = {
  label: string;
  /** Text colour of the status (icons, labels). */
  text: string;
  /** A small filled dot. */
  dot: string;
  /** Border and tint for a card or a graph node in this status. */
  surface: string;
};

export const TASK_STATUS_META: Record<TaskStatus, TaskStatusMeta> = {
  todo: {
    label: "To do",
    text: "text-muted-foreground",
    dot: "bg-muted-foreground/60",
    surface: "border-border bg-card",
  },
  in_progress: {
    label: "In progress",
    text: "text-primary",
    dot: "bg-primary",
    surface: "border-primary/50 bg-primary/5 dark:bg-primary/10",
  },
  review: {
    label: "In review",
    text: "text-sky-700 dark:text-sky-300",
    dot: "bg-sky-500",
    surface: "border-sky-500/50 bg-sky-500/5 dark:bg-sky-500/10",
  },
  blocked: {
    label: "Blocked",
    text: "text-warning",
    dot: "bg-warning",
    surface: "border-warning/50 bg-warning/5 dark:bg-warning/10",
  },
  waiting_worker: {
    label: "Waiting for worker",
    text: "text-violet-700 dark:text-violet-300",
    dot: "bg-violet-500",
    surface: "border-violet-500/50 bg-violet-500/5 dark:bg-violet-500/10",
  },
  done: {
    label: "Done",
    text: "text-success",
    dot: "bg-success",
    surface: "border-success/40 bg-success/5 dark:bg-success/10",
  },
  failed: {
    label: "Failed",
    text: "text-destructive",
    dot: "bg-destructive",
    surface: "border-destructive/50 bg-destructive/5 dark:bg-destructive/10",
  },
  cancelled: {
    label: "Cancelled",
    text: "text-muted-foreground",
    dot: "bg-muted-foreground/40",
    surface: "border-dashed border-border bg-muted/40",
  },
};

export function TaskStatusLabel({ status, className }: { status: TaskStatus; className?: string }) {
  const meta = TASK_STATUS_META[status];
  return (
    <span className={cn("inline-flex items-center gap-1.5 font-medium text-xs", meta.text, className)}>
      <span aria-hidden="true" className={cn("size-2 rounded-full", meta.dot)} />
      {meta.label}
    </span>
  );
}

const PRIORITY_META: Record<TaskPriority, { label: string; className: string }> = {
  low: { label: "Low", className: "text-muted-foreground" },
  medium: { label: "Medium", className: "text-foreground/80" },
  high: { label: "High", className: "border-warning/40 text-warning" },
  critical: { label: "Critical", className: "border-destructive/40 text-destructive" },
};

export function PriorityBadge({ priority }: { priority: TaskPriority }) {
  const meta = PRIORITY_META[priority];
  return (
    <Badge variant="outline" className={cn("font-normal", meta.className)}>
      <span className="sr-only">Priority: </span>
      {meta.label}
    </Badge>
  );
}
