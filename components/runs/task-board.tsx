"use client";

import {
  ArrowDownIcon,
  ArrowUpIcon,
  CircleCheckIcon,
  CircleXIcon,
  CornerDownRightIcon,
  GitForkIcon,
  PencilIcon,
  PlusIcon,
  RotateCcwIcon,
  Trash2Icon,
} from "lucide-react";
import { memo, useId, useState } from "react";
import { AttemptHistory } from "@/components/checks/attempt-history";
import { CheckBadge } from "@/components/checks/check-badge";
import { badgeCheckOf } from "@/components/checks/check-result";
import { type AgentNames, agentLabel } from "@/components/runs/format";
import { isEditableTask } from "@/components/runs/plan-editor";
import { PriorityBadge, TASK_STATUS_META } from "@/components/runs/status";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import type { CheckInfo } from "@/lib/checks/read/check-info";
import type { TaskStatus } from "@/lib/runs/schedule";
import { latestByKind, type RunViewState, type RunViewTask, taskAttempts } from "@/lib/runs/view-state";
import { cn } from "@/lib/utils";

export type TaskBoardProps = {
  /** In plan order. */
  tasks: RunViewTask[];
  phases?: { key: string; title: string }[];
  agentNames?: AgentNames;
  /** Whether the viewer may retry failed tasks; the Retry button shows only then. */
  canRetry?: boolean;
  onRetry?: (taskId: string) => Promise<unknown>;
  /** Starts a new run from this accepted task's commit; the button shows on done tasks only then. */
  onFork?: (taskId: string) => Promise<unknown>;
  /** The run's checks (`RunViewState.checks` / `.checkOrder`): each task's attempts show theirs. */
  checks?: RunViewState["checks"];
  checkOrder?: string[];
  storedChecks?: ReadonlyMap<string, CheckInfo>;
  checksUrl?: string;
  sandboxUnavailable?: boolean;
  /** Plan edits (a member, on a run that has not finished): controls on the tasks not started. */
  edit?: PlanEditControls;
  className?: string;
};

export type PlanEditControls = {
  onAdd: () => void;
  onEdit: (task: RunViewTask) => void;
  onRemove: (task: RunViewTask) => Promise<unknown>;
  /** Moves the task before (-1) or after (1) the previous or next task not started. */
  onMove: (task: RunViewTask, direction: -1 | 1) => Promise<unknown>;
};

type ChecksContext = Pick<
  TaskBoardProps,
  "checks" | "checkOrder" | "storedChecks" | "checksUrl" | "sandboxUnavailable"
>;

/** The latest attempt's checks on the card; every attempt, its checks and its verdict, unfolded. */
function TaskChecks({ task, context }: { task: RunViewTask; context: ChecksContext }) {
  const attempts = taskAttempts(
    { checks: context.checks ?? {}, checkOrder: context.checkOrder ?? [], tasks: { [task.id]: task } },
    task.id,
  );
  const latest = [...attempts].reverse().find((a) => a.checks.length > 0);
  if (!latest && attempts.length <= 1) return null;
  return (
    <div className="space-y-1.5" data-slot="task-checks">
      {latest && (
        <ul className="flex flex-wrap gap-1.5" aria-label={`Checks of attempt ${latest.attempt}`}>
          {latestByKind(latest.checks).map((check) => (
            <li key={check.id}>
              <CheckBadge
                check={badgeCheckOf(check, context.storedChecks?.get(check.id))}
                sandboxUnavailable={context.sandboxUnavailable}
                showReason={false}
              />
            </li>
          ))}
        </ul>
      )}
      <details className="group text-xs">
        <summary className="cursor-pointer text-muted-foreground hover:text-foreground">
          Attempt history ({attempts.length})
        </summary>
        <AttemptHistory
          className="mt-1.5"
          attempts={attempts}
          stored={context.storedChecks}
          checksUrl={context.checksUrl}
          sandboxUnavailable={context.sandboxUnavailable}
        />
      </details>
    </div>
  );
}

const COLUMNS: TaskStatus[] = [
  "todo",
  "in_progress",
  "review",
  "blocked",
  "waiting_worker",
  "done",
  "failed",
  "cancelled",
];
/** Exceptional columns appear only when a task is in them, keeping the board calm. */
const SHOWN_WHEN_EMPTY = new Set<TaskStatus>(["todo", "in_progress", "review", "done"]);

function Verdict({ task }: { task: RunViewTask }) {
  const verdict = task.lastVerdict;
  if (!verdict) return null;
  if (verdict.verdict === "pass") {
    return (
      <p className="flex items-center gap-1.5 text-success text-xs">
        <CircleCheckIcon aria-hidden="true" className="size-3.5" />
        Review passed{verdict.attempt > 1 ? ` on attempt ${verdict.attempt}` : ""}
      </p>
    );
  }
  return (
    <div className="space-y-1 rounded-md bg-destructive/5 px-2 py-1.5 text-xs dark:bg-destructive/10">
      <p className="flex items-center gap-1.5 font-medium text-destructive">
        <CircleXIcon aria-hidden="true" className="size-3.5" />
        Review asked for changes (attempt {verdict.attempt})
      </p>
      {verdict.reasons.length > 0 && (
        <ul className="list-disc space-y-0.5 pl-5 text-foreground/80">
          {verdict.reasons.map((reason, i) => (
            <li key={i}>{reason}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function TaskCard({
  task,
  phase,
  parentTitle,
  agentNames,
  retry,
  fork,
  checks,
  edit,
}: {
  checks: ChecksContext;
  edit?: {
    controls: PlanEditControls;
    first: boolean;
    last: boolean;
    pending: boolean;
    run: (p: Promise<unknown>) => void;
  };
  task: RunViewTask;
  phase?: string;
  parentTitle?: string;
  agentNames?: AgentNames;
  retry?: { pending: boolean; onRetry: () => void };
  fork?: { pending: boolean; onFork: () => void };
}) {
  return (
    <article
      id={`task-${task.id}`}
      className={cn(
        "scroll-mt-20 space-y-2 rounded-lg border p-3 shadow-xs",
        TASK_STATUS_META[task.status].surface,
      )}
      aria-label={task.title}
    >
      {parentTitle && (
        <p className="flex items-center gap-1 text-muted-foreground text-xs">
          <CornerDownRightIcon aria-hidden="true" className="size-3" />
          <span className="truncate">Subtask of {parentTitle}</span>
        </p>
      )}
      <h4 className={cn("font-medium text-sm leading-snug", task.status === "cancelled" && "line-through")}>
        {task.title}
      </h4>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-muted-foreground text-xs">
        <span className="font-medium text-foreground/80">{agentLabel(task.agentSlug, agentNames)}</span>
        <PriorityBadge priority={task.priority} />
        {phase && <span>{phase}</span>}
        {task.attempts > 1 && <span className="tabular-nums">Attempt {task.attempts}</span>}
        {task.worker === "external" && (
          <span className="font-medium text-violet-700 dark:text-violet-300">External worker</span>
        )}
      </div>
      {task.statusReason && <p className="text-foreground/80 text-xs">{task.statusReason}</p>}
      <Verdict task={task} />
      <TaskChecks task={task} context={checks} />
      {retry && (
        <Button size="sm" variant="outline" disabled={retry.pending} onClick={retry.onRetry}>
          {retry.pending ? <Spinner aria-hidden="true" /> : <RotateCcwIcon aria-hidden="true" />}
          {retry.pending ? "Retrying…" : "Retry"}
        </Button>
      )}
      {edit && (
        <fieldset className="flex flex-wrap gap-1" aria-label={`Change ${task.title}`}>
          <Button
            size="sm"
            variant="outline"
            disabled={edit.pending}
            onClick={() => edit.controls.onEdit(task)}
          >
            <PencilIcon aria-hidden="true" />
            Edit
          </Button>
          <Button
            size="icon"
            variant="ghost"
            className="size-8"
            disabled={edit.pending || edit.first}
            aria-label="Move up"
            title="Move up"
            onClick={() => edit.run(edit.controls.onMove(task, -1))}
          >
            <ArrowUpIcon aria-hidden="true" />
          </Button>
          <Button
            size="icon"
            variant="ghost"
            className="size-8"
            disabled={edit.pending || edit.last}
            aria-label="Move down"
            title="Move down"
            onClick={() => edit.run(edit.controls.onMove(task, 1))}
          >
            <ArrowDownIcon aria-hidden="true" />
          </Button>
          <Button
            size="icon"
            variant="ghost"
            className="size-8 text-destructive"
            disabled={edit.pending}
            aria-label="Remove"
            title="Remove"
            onClick={() => edit.run(edit.controls.onRemove(task))}
          >
            <Trash2Icon aria-hidden="true" />
          </Button>
        </fieldset>
      )}
      {fork && (
        <Button
          size="sm"
          variant="ghost"
          disabled={fork.pending}
          onClick={fork.onFork}
          title="Start a new run from this task's commit: the work before it is kept, the rest is done again."
        >
          {fork.pending ? <Spinner aria-hidden="true" /> : <GitForkIcon aria-hidden="true" />}
          {fork.pending ? "Forking…" : "Fork here"}
        </Button>
      )}
    </article>
  );
}

/** The run's tasks in columns by status. */
export const TaskBoard = memo(function TaskBoard({
  tasks,
  phases = [],
  agentNames,
  canRetry = false,
  onRetry,
  onFork,
  checks,
  checkOrder,
  storedChecks,
  checksUrl,
  sandboxUnavailable,
  edit,
  className,
}: TaskBoardProps) {
  const checksContext: ChecksContext = { checks, checkOrder, storedChecks, checksUrl, sandboxUnavailable };
  const idPrefix = useId();
  const [retrying, setRetrying] = useState<ReadonlySet<string>>(new Set());
  const [forking, setForking] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const editable = tasks.filter(isEditableTask).map((t) => t.id);
  const runEdit = (p: Promise<unknown>) => {
    setEditing(true);
    void p.finally(() => setEditing(false));
  };

  if (tasks.length === 0) {
    return (
      <EmptyState
        className={className}
        title="No tasks yet"
        description="The orchestrator's plan will appear here as tasks once it is written."
      />
    );
  }

  const phaseTitles = new Map(phases.map((p) => [p.key, p.title]));
  const titles = new Map(tasks.map((t) => [t.id, t.title]));
  const byStatus = new Map<TaskStatus, RunViewTask[]>(COLUMNS.map((status) => [status, []]));
  for (const task of tasks) byStatus.get(task.status)?.push(task);

  const retry = async (taskId: string) => {
    if (!onRetry) return;
    setRetrying((s) => new Set(s).add(taskId));
    try {
      await onRetry(taskId);
    } finally {
      setRetrying((s) => {
        const next = new Set(s);
        next.delete(taskId);
        return next;
      });
    }
  };

  const fork = async (taskId: string) => {
    if (!onFork) return;
    setForking(taskId);
    try {
      await onFork(taskId);
    } finally {
      setForking(null);
    }
  };

  return (
    // relative: the screen-reader-only labels inside must not widen the page. Columns share the
    // width (the usual four fit a 1366 px laptop); when more are shown the board scrolls itself.
    <div className={cn("relative flex gap-3 overflow-x-auto pb-2", className)}>
      {COLUMNS.map((status) => {
        const column = byStatus.get(status) ?? [];
        if (column.length === 0 && !SHOWN_WHEN_EMPTY.has(status)) return null;
        const headingId = `${idPrefix}-${status}`;
        const meta = TASK_STATUS_META[status];
        return (
          <section
            key={status}
            aria-labelledby={headingId}
            className="flex min-w-48 max-w-80 flex-1 basis-0 flex-col gap-2 rounded-xl bg-muted/40 p-2 dark:bg-muted/20"
          >
            <h3 id={headingId} className="flex items-center gap-2 px-1 pt-1 font-medium text-sm">
              <span aria-hidden="true" className={cn("size-2 rounded-full", meta.dot)} />
              {meta.label}
              <span className="ml-auto text-muted-foreground text-xs tabular-nums">
                {column.length}
                <span className="sr-only"> tasks</span>
              </span>
            </h3>
            {edit && status === "todo" && (
              <Button size="sm" variant="outline" className="bg-background" onClick={edit.onAdd}>
                <PlusIcon aria-hidden="true" />
                Add task
              </Button>
            )}
            {column.length === 0 ? (
              <p className="px-1 py-4 text-center text-muted-foreground text-xs">Nothing here</p>
            ) : (
              <ul className="space-y-2">
                {column.map((task) => (
                  <li key={task.id}>
                    <TaskCard
                      task={task}
                      phase={phaseTitles.get(task.phaseKey)}
                      parentTitle={task.parentTaskId ? titles.get(task.parentTaskId) : undefined}
                      agentNames={agentNames}
                      checks={checksContext}
                      retry={
                        canRetry && onRetry && task.status === "failed"
                          ? { pending: retrying.has(task.id), onRetry: () => void retry(task.id) }
                          : undefined
                      }
                      fork={
                        onFork && task.status === "done"
                          ? { pending: forking === task.id, onFork: () => void fork(task.id) }
                          : undefined
                      }
                      edit={
                        edit && isEditableTask(task)
                          ? {
                              controls: edit,
                              first: editable[0] === task.id,
                              last: editable.at(-1) === task.id,
                              pending: editing,
                              run: runEdit,
                            }
                          : undefined
                      }
                    />
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
});
