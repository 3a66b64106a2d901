"use client";

import { FileDiffIcon, FileTextIcon, KanbanIcon, NetworkIcon, RadioIcon } from "lucide-react";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from "react";
import { toast } from "sonner";
import { SandboxNotice } from "@/components/checks/sandbox-notice";
import { useRunChecks } from "@/components/checks/use-run-checks";
import { RunChanges } from "@/components/code/run-changes";
import { type ApprovalDecision, ApprovalPanel, type ApprovalSubject } from "@/components/runs/approval-panel";
import { ArtifactViewer, type ViewerArtifact } from "@/components/runs/artifact-viewer";
import type { AgentNames } from "@/components/runs/format";
import { LiveFeed } from "@/components/runs/live-feed";
import {
  isEditableTask,
  PlanReviewBanner,
  TaskFormDialog,
  type TaskFormValues,
} from "@/components/runs/plan-editor";
import { ResumeRunDialog } from "@/components/runs/resume-run-dialog";
import { RunHeader } from "@/components/runs/run-header";
import { type PlanEditControls, TaskBoard } from "@/components/runs/task-board";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { ActionResult } from "@/lib/api/action";
import type { RunStatus, StoredRunEvent } from "@/lib/runs/events";
import { useRunEvents } from "@/lib/runs/stream-client";
import { getRunTemplate } from "@/lib/runs/templates";
import {
  branchChecks as branchChecksOf,
  isFinalRunStatus,
  isLaneLive,
  orderedApprovals,
  orderedArtifacts,
  orderedLanes,
  orderedTasks,
  type RunViewTask,
  summarizeChecks,
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
  /** Started with "review the plan first", and when its plan was approved. */
  reviewPlan?: boolean;
  planApprovedAt?: string | Date | null;
};

export type RunViewPermissions = {
  canCancel: boolean;
  canApprove: boolean;
  canRetry: boolean;
  canResume: boolean;
  /** Add, change, re-order and remove tasks not started; approve a plan waiting for review. */
  canEditPlan?: boolean;
};

/** Server actions bound to the organization (`action.bind(null, orgSlug)`). */
export type RunViewActions = {
  cancel?: (input: { runId: string }) => Promise<ActionResult<unknown>>;
  retryTask?: (input: { runId: string; taskId: string }) => Promise<ActionResult<unknown>>;
  fork?: (input: { project: string; runId: string; taskId: string }) => Promise<ActionResult<{ id: string }>>;
  decideApproval?: (input: {
    runId: string;
    approvalId: string;
    decision: ApprovalDecision;
    comment: string;
  }) => Promise<ActionResult<unknown>>;
  resume?: (input: { runId: string; tokenBudget: number }) => Promise<ActionResult<unknown>>;
  addTask?: (input: { runId: string; input: TaskFormValues }) => Promise<ActionResult<unknown>>;
  updateTask?: (input: {
    runId: string;
    taskKey: string;
    input: Partial<TaskFormValues>;
  }) => Promise<ActionResult<unknown>>;
  removeTask?: (input: { runId: string; taskKey: string }) => Promise<ActionResult<unknown>>;
  reorderTasks?: (input: { runId: string; input: { keys: string[] } }) => Promise<ActionResult<unknown>>;
  approvePlan?: (input: { runId: string }) => Promise<ActionResult<unknown>>;
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
  /** The organization's slug: shows the Changes tab (the run branch against its base). */
  orgSlug?: string;
  /** The project's slug: with `actions.fork`, done tasks offer "Fork here". */
  projectSlug?: string;
};

const NETWORK_ERROR = "Could not reach the server. Check your connection and try again.";
const CANCEL_TOAST_ID = "run-cancel";

type RunTab = "feed" | "tasks" | "graph" | "artifacts" | "changes";

/** Runs an action and reports its outcome in a toast; returns the result for inline errors. */
async function withToast<T>(
  action: () => Promise<ActionResult<T>>,
  success: string,
  id?: string,
): Promise<ActionResult<T>> {
  try {
    const result = await action();
    if (result.ok) toast.success(success, { id });
    else toast.error(result.error.message, { id });
    return result;
  } catch {
    toast.error(NETWORK_ERROR, { id });
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
  orgSlug,
  projectSlug,
}: RunViewProps) {
  const router = useRouter();
  const { state, connection, reconnect } = useRunEvents({ streamUrl, initialEvents, initialRun: run });
  const template = getRunTemplate(run.templateSlug);
  const final = isFinalRunStatus(state.status);
  const runId = run.id;
  const { cancel, retryTask, decideApproval, resume, fork } = actions;
  const { addTask, updateTask, removeTask, reorderTasks, approvePlan } = actions;
  const [taskForm, setTaskForm] = useState<{ task: RunViewTask | null } | null>(null);
  const [tab, setTab] = useState<RunTab>(final && artifacts.length > 0 ? "artifacts" : "feed");
  const [artifactId, setArtifactId] = useState<string | null>(null);

  // A client navigation (e.g. from the start form) keeps the previous page's scroll, and Next does
  // not reset it while this page's first element is in view: the header would open under the top
  // bar. Runs before Next's own scroll handling (child layout effects run first).
  useLayoutEffect(() => {
    if (!window.location.hash) window.scrollTo({ top: 0, left: 0 });
  }, []);

  // The header says "Cancelled" once the log does; a toast about it would only linger.
  useEffect(() => {
    if (final) toast.dismiss(CANCEL_TOAST_ID);
  }, [final]);

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
  const { checks: checkMap, checkOrder, commands, sandbox } = state;
  const checksUrl =
    orgSlug && projectSlug ? `/api/orgs/${orgSlug}/projects/${projectSlug}/runs/${runId}/checks` : undefined;
  const storedChecks = useRunChecks(checksUrl, checkOrder.length);
  const branchSummary = useMemo(
    () => summarizeChecks(branchChecksOf({ checks: checkMap, checkOrder })),
    [checkMap, checkOrder],
  );
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
  // What each approval is about: the latest artifact its task wrote, else the task itself.
  const approvalSubjects = useMemo(() => {
    const byTask = new Map<string, { id: string; title: string }>();
    for (const ref of orderedArtifacts({ artifacts: artifactMap, artifactOrder })) {
      if (ref.taskId) byTask.set(ref.taskId, { id: ref.id, title: ref.title });
    }
    const subjects: Record<string, ApprovalSubject> = {};
    for (const approval of approvals) {
      if (!approval.taskId) continue;
      const artifact = byTask.get(approval.taskId);
      if (artifact) subjects[approval.id] = { kind: "artifact", id: artifact.id, title: artifact.title };
      else if (taskMap[approval.taskId]) {
        subjects[approval.id] = {
          kind: "task",
          id: approval.taskId,
          title: taskMap[approval.taskId]?.title ?? "",
        };
      }
    }
    return subjects;
  }, [approvals, artifactMap, artifactOrder, taskMap]);
  const openSubject = useCallback((subject: ApprovalSubject) => {
    if (subject.kind === "artifact") {
      setArtifactId(subject.id);
      setTab("artifacts");
    } else {
      setTab("tasks");
    }
    // After the tab renders its content.
    requestAnimationFrame(() =>
      document
        .getElementById(subject.kind === "artifact" ? "run-artifacts" : `task-${subject.id}`)
        ?.scrollIntoView({ block: "start", behavior: "smooth" }),
    );
  }, []);

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
        ? () => withToast(() => cancel({ runId }), "Run cancelled.", CANCEL_TOAST_ID)
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
  const onFork = useMemo(
    () =>
      fork && projectSlug && orgSlug
        ? async (taskId: string) => {
            const result = await withToast(
              () => fork({ project: projectSlug, runId, taskId }),
              "Forked: a new run starts from this task's commit.",
            );
            if (result.ok) router.push(`/${orgSlug}/projects/${projectSlug}/runs/${result.data.id}`);
          }
        : undefined,
    [fork, projectSlug, orgSlug, runId, router],
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

  const canEditPlan = Boolean(permissions.canEditPlan && !final && tasks.length > 0);
  const awaitingReview =
    Boolean(run.reviewPlan) && !run.planApprovedAt && !state.planApprovedAt && !final && tasks.length > 0;
  const planEdit = useMemo<PlanEditControls | undefined>(() => {
    if (!canEditPlan || !addTask || !updateTask || !removeTask || !reorderTasks) return undefined;
    return {
      onAdd: () => setTaskForm({ task: null }),
      onEdit: (task) => setTaskForm({ task }),
      onRemove: (task) => withToast(() => removeTask({ runId, taskKey: task.key }), "Task removed."),
      onMove: (task, direction) => {
        const keys = tasks.filter(isEditableTask).map((t) => t.key);
        const from = keys.indexOf(task.key);
        const to = from + direction;
        if (from < 0 || to < 0 || to >= keys.length) return Promise.resolve();
        [keys[from], keys[to]] = [keys[to] as string, keys[from] as string];
        return withToast(() => reorderTasks({ runId, input: { keys } }), "Plan re-ordered.");
      },
    };
  }, [canEditPlan, addTask, updateTask, removeTask, reorderTasks, runId, tasks]);
  const onSubmitTask = async (values: TaskFormValues) => {
    const editing = taskForm?.task;
    if (editing && updateTask) {
      const { phaseName: _unused, ...patch } = values;
      const result = await updateTask({ runId, taskKey: editing.key, input: patch });
      if (result.ok) toast.success("Task saved.");
      return result;
    }
    if (!addTask)
      return { ok: false as const, error: { code: "forbidden" as const, message: "Not allowed." } };
    const result = await addTask({ runId, input: values });
    if (result.ok) toast.success("Task added.");
    return result;
  };

  // The Changes tab refetches when a task finishes or the run's status moves.
  const changesKey = `${state.status}:${tasks.filter((t) => t.status === "done").length}`;
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
        branchChecks={branchSummary}
        connection={connection}
        onReconnect={reconnect}
        onCancel={onCancel}
        actions={
          state.status === "budget_exhausted" && permissions.canResume && onResume ? (
            <ResumeRunDialog currentBudget={run.tokenBudget} usedTokens={usedTokens} onResume={onResume} />
          ) : undefined
        }
      />

      <SandboxNotice sandbox={sandbox} />

      {awaitingReview && (
        <PlanReviewBanner
          onApprove={
            permissions.canEditPlan && approvePlan
              ? () => withToast(() => approvePlan({ runId }), "Plan approved: the run starts.")
              : undefined
          }
        />
      )}

      {approvals.length > 0 && (
        <ApprovalPanel
          approvals={approvals}
          canApprove={permissions.canApprove}
          taskTitles={taskTitles}
          subjects={approvalSubjects}
          onOpenSubject={openSubject}
          onDecide={onDecide}
        />
      )}

      <Tabs value={tab} onValueChange={(value) => setTab(value as RunTab)}>
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
          {orgSlug && (
            <TabsTrigger value="changes">
              <FileDiffIcon aria-hidden="true" />
              Changes
            </TabsTrigger>
          )}
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
            commands={commands}
            checks={checkMap}
            storedChecks={storedChecks}
            checksUrl={checksUrl}
            sandboxUnavailable={sandbox.unavailable !== null}
          />
        </TabsContent>
        <TabsContent value="tasks" className="min-w-0">
          <TaskBoard
            tasks={tasks}
            phases={state.phases}
            agentNames={agentNames}
            canRetry={permissions.canRetry}
            onRetry={onRetry}
            onFork={onFork}
            checks={checkMap}
            checkOrder={checkOrder}
            storedChecks={storedChecks}
            checksUrl={checksUrl}
            sandboxUnavailable={sandbox.unavailable !== null}
            edit={planEdit}
          />
          {planEdit && taskForm && (
            <TaskFormDialog
              key={taskForm.task?.id ?? "new"}
              open
              onOpenChange={(open) => {
                if (!open) setTaskForm(null);
              }}
              task={taskForm.task}
              tasks={tasks}
              phases={state.phases}
              agentNames={agentNames}
              onSubmit={onSubmitTask}
            />
          )}
        </TabsContent>
        <TabsContent value="graph">
          <DependencyGraph tasks={tasks} agentNames={agentNames} />
        </TabsContent>
        <TabsContent value="artifacts" className="min-w-0">
          <ArtifactViewer
            id="run-artifacts"
            className="scroll-mt-20"
            artifacts={viewerArtifacts}
            selectedId={artifactId}
            onSelect={setArtifactId}
            primaryKind={template?.primaryArtifactKind}
            usesDemoModel={state.usesDemoModel}
          />
        </TabsContent>
        {orgSlug && (
          <TabsContent value="changes" className="min-w-0">
            {tab === "changes" && <RunChanges org={orgSlug} runId={run.id} refreshKey={changesKey} />}
          </TabsContent>
        )}
      </Tabs>
    </div>
  );
}
