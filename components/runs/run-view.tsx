"use client";

import { FileTextIcon, KanbanIcon, NetworkIcon, RadioIcon } from "lucide-react";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useEffect, useMemo } from "react";
import { toast } from "sonner";
import { type ApprovalDecision, ApprovalPanel } from "@/components/runs/approval-panel";
import { ArtifactViewer, type ViewerArtifact } from "@/components/runs/artifact-viewer";
import type { AgentNames } from "@/components/runs/format";
import { LiveFeed } from "@/components/runs/live-feed";
import { ResumeRunDialog } from "@/components/runs/resume-run-dialog";
import { RunHeader } from "@/components/runs/run-header";
import { TaskBoard } from "@/components/runs/task-board";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { ActionResult } from "@/lib/api/action";
import type { RunStatus, StoredRunEvent } from "@/lib/runs/events";
import { useRunEvents } from "@/lib/runs/stream-client";
import { getRunTemplate } from "@/lib/runs/templates";
import {
  isFinalRunStatus,
  isLaneLive,
  orderedApprovals,
  orderedArtifacts,
  orderedLanes,
  orderedTasks,
} from "@/lib/runs/view-state";

// React Flow measures the DOM: render the graph in the browser only, and load it with its tab.
const DependencyGraph = dynamic(
  () => import("@/components/runs/dependency-graph").then((m) => m.DependencyGraph),
  { ssr: false, loading: () => <Skeleton className="h-[32rem] max-h-[70vh] w-full" /> },
);

export type RunViewRun = {
  id: string;
  goal: string;
  templateSlug: string;
  status: RunStatus;
  startedAt: string | Date | null;
  finishedAt?: string | Date | null;
  tokenBudget?: number | null;
  /** True when the run's agents use the scripted demo model (no provider configured). */
  usesDemoModel?: boolean;
};

export type RunViewPermissions = {
  canCancel: boolean;
  canApprove: boolean;
  canRetry: boolean;
  canResume: boolean;
};

/** Server actions bound to the organization (`action.bind(null, orgSlug)`). */
export type RunViewActions = {
  cancel?: (input: { runId: string }) => Promise<ActionResult<unknown>>;
  retryTask?: (input: { runId: string; taskId: string }) => Promise<ActionResult<unknown>>;
  decideApproval?: (input: {
    runId: string;
    approvalId: string;
    decision: ApprovalDecision;
    comment: string;
  }) => Promise<ActionResult<unknown>>;
  resume?: (input: { runId: string; tokenBudget: number }) => Promise<ActionResult<unknown>>;
};

export type RunViewProps = {
  run: RunViewRun;
  /** The run's event log as the server rendered it, in `seq` order. */
  initialEvents: StoredRunEvent[];
  /** The stream route for this run (without `after`). */
  streamUrl: string;
  /** Artifacts with the content of each version. */
  artifacts: ViewerArtifact[];
  permissions: RunViewPermissions;
  actions: RunViewActions;
  agentNames?: AgentNames;
};

const NETWORK_ERROR = "Could not reach the server. Check your connection and try again.";

/** Runs an action and reports its outcome in a toast; returns the result for inline errors. */
async function withToast(
  action: () => Promise<ActionResult<unknown>>,
  success: string,
): Promise<ActionResult<unknown>> {
  try {
    const result = await action();
    if (result.ok) toast.success(success);
    else toast.error(result.error.message);
    return result;
  } catch {
    toast.error(NETWORK_ERROR);
    return { ok: false, error: { code: "internal", message: NETWORK_ERROR } };
  }
}

/** The run page: header, pending approvals, then the feed, task board, graph and artifacts. */
export function RunView({
  run,
  initialEvents,
  streamUrl,
  artifacts,
  permissions,
  actions,
  agentNames,
}: RunViewProps) {
  const router = useRouter();
  const { state, connection, reconnect } = useRunEvents({ streamUrl, initialEvents, initialRun: run });
  const template = getRunTemplate(run.templateSlug);
  const final = isFinalRunStatus(state.status);
  const runId = run.id;
  const { cancel, retryTask, decideApproval, resume } = actions;

  // Memoized on the slices of state they read: text deltas arrive many times a second and only
  // replace the lanes, so the board, the graph and the artifacts keep their props and skip work.
  const {
    tasks: taskMap,
    taskOrder,
    lanes: laneMap,
    laneOrder,
    approvals: approvalMap,
    approvalOrder,
  } = state;
  const { artifacts: artifactMap, artifactOrder } = state;
  const tasks = useMemo(() => orderedTasks({ tasks: taskMap, taskOrder }), [taskMap, taskOrder]);
  const lanes = useMemo(() => orderedLanes({ lanes: laneMap, laneOrder }), [laneMap, laneOrder]);
  const approvals = useMemo(
    () => orderedApprovals({ approvals: approvalMap, approvalOrder }),
    [approvalMap, approvalOrder],
  );
  const liveLaneKeys = useMemo(
    () => new Set(lanes.filter((lane) => isLaneLive(state, lane)).map((lane) => lane.key)),
    [state, lanes],
  );
  const taskTitles = useMemo(() => Object.fromEntries(tasks.map((t) => [t.id, t.title])), [tasks]);

  // The stream announces artifact versions; their content comes with the next server render.
  const viewerArtifacts = useMemo(() => {
    const byId = new Map(artifacts.map((a) => [a.id, a]));
    const merged: ViewerArtifact[] = artifacts.map((a) => ({
      ...a,
      latestVersion: Math.max(artifactMap[a.id]?.latestVersion ?? 0, ...a.versions.map((v) => v.version), 0),
    }));
    for (const ref of orderedArtifacts({ artifacts: artifactMap, artifactOrder })) {
      if (!byId.has(ref.id)) {
        merged.push({
          id: ref.id,
          kind: ref.kind,
          title: ref.title,
          versions: [],
          latestVersion: ref.latestVersion,
        });
      }
    }
    return merged;
  }, [artifacts, artifactMap, artifactOrder]);

  const missingContent = viewerArtifacts
    .filter((a) => (a.latestVersion ?? 0) > Math.max(0, ...a.versions.map((v) => v.version)))
    .map((a) => `${a.id}@${a.latestVersion}`)
    .join(",");

  useEffect(() => {
    if (!missingContent) return;
    // Debounced: a burst of saves costs one refresh.
    const timer = setTimeout(() => router.refresh(), 1_000);
    return () => clearTimeout(timer);
  }, [missingContent, router]);

  const onCancel = useMemo(
    () =>
      permissions.canCancel && cancel
        ? () => withToast(() => cancel({ runId }), "Cancelling the run…")
        : undefined,
    [permissions.canCancel, cancel, runId],
  );
  const onRetry = useMemo(
    () =>
      retryTask
        ? (taskId: string) => withToast(() => retryTask({ runId, taskId }), "Task queued again.")
        : undefined,
    [retryTask, runId],
  );
  const onDecide = useMemo(
    () =>
      decideApproval
        ? async (approvalId: string, decision: ApprovalDecision, comment: string) => {
            const result = await decideApproval({ runId, approvalId, decision, comment });
            if (result.ok) toast.success(decision === "approved" ? "Approved." : "Rejected.");
            return result;
          }
        : undefined,
    [decideApproval, runId],
  );
  const onResume = useMemo(
    () =>
      resume
        ? async (tokenBudget: number) => {
            const result = await withToast(() => resume({ runId, tokenBudget }), "Run resumed.");
            // The stream closed when the budget ran out; a fresh render reopens it.
            if (result.ok) router.refresh();
            return result;
          }
        : undefined,
    [resume, runId, router],
  );

  const usedTokens = state.totals.inputTokens + state.totals.outputTokens;
  const pendingCount = approvals.filter((a) => a.status === "pending").length;

  return (
    <div className="space-y-6">
      <RunHeader
        goal={run.goal}
        status={state.status}
        statusReason={state.statusReason}
        templateName={template?.name ?? run.templateSlug}
        progress={state.progress}
        startedAt={state.startedAt}
        finishedAt={state.finishedAt}
        totals={state.totals}
        tokenBudget={run.tokenBudget}
        usesDemoModel={state.usesDemoModel}
        connection={connection}
        onReconnect={reconnect}
        onCancel={onCancel}
        actions={
          state.status === "budget_exhausted" && permissions.canResume && onResume ? (
            <ResumeRunDialog currentBudget={run.tokenBudget} usedTokens={usedTokens} onResume={onResume} />
          ) : undefined
        }
      />

      {approvals.length > 0 && (
        <ApprovalPanel
          approvals={approvals}
          canApprove={permissions.canApprove}
          taskTitles={taskTitles}
          onDecide={onDecide}
        />
      )}

      <Tabs defaultValue={final && viewerArtifacts.length > 0 ? "artifacts" : "feed"}>
        <TabsList className="w-full justify-start overflow-x-auto sm:w-fit">
          <TabsTrigger value="feed">
            <RadioIcon aria-hidden="true" />
            Feed
            {liveLaneKeys.size > 0 && (
              <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-primary" />
            )}
          </TabsTrigger>
          <TabsTrigger value="tasks">
            <KanbanIcon aria-hidden="true" />
            Tasks
            <span className="text-muted-foreground text-xs tabular-nums">{tasks.length}</span>
          </TabsTrigger>
          <TabsTrigger value="graph">
            <NetworkIcon aria-hidden="true" />
            Graph
          </TabsTrigger>
          <TabsTrigger value="artifacts">
            <FileTextIcon aria-hidden="true" />
            Artifacts
            <span className="text-muted-foreground text-xs tabular-nums">{viewerArtifacts.length}</span>
          </TabsTrigger>
        </TabsList>
        {pendingCount > 0 && (
          <p className="sr-only" role="status">
            {pendingCount === 1 ? "One approval is waiting." : `${pendingCount} approvals are waiting.`}
          </p>
        )}
        <TabsContent value="feed">
          <LiveFeed
            lanes={lanes}
            tasks={state.tasks}
            liveLaneKeys={liveLaneKeys}
            agentNames={agentNames}
            usesDemoModel={state.usesDemoModel}
            active={!final}
          />
        </TabsContent>
        <TabsContent value="tasks">
          <TaskBoard
            tasks={tasks}
            phases={state.phases}
            agentNames={agentNames}
            canRetry={permissions.canRetry}
            onRetry={onRetry}
          />
        </TabsContent>
        <TabsContent value="graph">
          <DependencyGraph tasks={tasks} agentNames={agentNames} />
        </TabsContent>
        <TabsContent value="artifacts">
          <ArtifactViewer
            artifacts={viewerArtifacts}
            primaryKind={template?.primaryArtifactKind}
            usesDemoModel={state.usesDemoModel}
          />
        </TabsContent>
      </Tabs>
    </div>
  );
}
