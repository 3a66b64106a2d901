import "server-only";
import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { approvals, artifacts, projects, runs, runTasks, users } from "@/db/schema";
import { loadAgentCatalog } from "@/lib/agents/org-agents";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow } from "@/lib/projects/queries";
import { readRunEvents } from "./event-log";
import type { RunStatus, StoredRunEvent } from "./events";
import { isUuid } from "./schemas";

export type RunRow = typeof runs.$inferSelect;

/** One line of a runs list (components/runs/runs-table.tsx `RunSummary`). */
export type RunSummary = {
  id: string;
  goal: string;
  templateSlug: string;
  status: RunStatus;
  tasksDone: number;
  tasksTotal: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  startedBy: string | null;
  startedAt: string;
  projectSlug: string;
  projectName: string;
};

export type RunInfo = {
  id: string;
  projectId: string;
  goal: string;
  templateSlug: string;
  status: RunStatus;
  statusReason: string | null;
  tokenBudget: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  agentVersions: Record<string, number>;
  modelLabel: string | null;
  usesDemoModel: boolean;
  summaryArtifactId: string | null;
  startedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The run's number in its project and its git branch (null before repositories existed). */
  number: number | null;
  branch: string | null;
  baseCommit: string | null;
  headCommit: string | null;
  pushedAt: string | null;
  pullRequestUrl: string | null;
  forkedFromRunId: string | null;
  /** Started with "review the plan first"; when a member approved the plan. */
  reviewPlan: boolean;
  planApprovedAt: string | null;
};

export type RunTaskInfo = Omit<typeof runTasks.$inferSelect, "orgId" | "startedAt" | "finishedAt"> & {
  startedAt: string | null;
  finishedAt: string | null;
};

export type ApprovalInfo = {
  id: string;
  taskId: string | null;
  title: string;
  prompt: string;
  status: (typeof approvals.$inferSelect)["status"];
  comment: string | null;
  decidedBy: string | null;
  createdAt: string;
  decidedAt: string | null;
  expiresAt: string | null;
};

/** An artifact with every version's content; `id` is its stable key (the first version's id). */
export type ArtifactInfo = {
  id: string;
  kind: string;
  title: string;
  path: string | null;
  language: string | null;
  taskId: string | null;
  agentSlug: string | null;
  versions: { version: number; content: string; summary: string; createdAt: string }[];
};

export type RunDetail = {
  run: RunInfo;
  project: { id: string; slug: string; name: string };
  tasks: RunTaskInfo[];
  approvals: ApprovalInfo[];
  artifacts: ArtifactInfo[];
};

const runNotFound = () => notFound("Run not found.");
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The run with this id in this organization (locked for the rest of `tx` when changing it). */
export async function findRunRow(
  tx: Tx,
  orgId: string,
  runId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<RunRow> {
  if (!isUuid(runId)) throw runNotFound();
  const query = tx
    .select()
    .from(runs)
    .where(and(eq(runs.orgId, orgId), eq(runs.id, runId)))
    .limit(1);
  const [row] = opts.forUpdate ? await query.for("no key update") : await query;
  if (!row) throw runNotFound();
  return row;
}

/** A member's display name, or their email when they have none. */
const starterName = sql<string | null>`coalesce(nullif(${users.name}, ''), ${users.email})`;

function toRunInfo(row: RunRow, startedBy: string | null): RunInfo {
  return {
    id: row.id,
    projectId: row.projectId,
    goal: row.goal,
    templateSlug: row.templateSlug,
    status: row.status,
    statusReason: row.statusReason,
    tokenBudget: row.tokenBudget,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: row.costUsd,
    agentVersions: row.agentVersions,
    modelLabel: row.modelLabel,
    usesDemoModel: row.usesDemoModel,
    summaryArtifactId: row.summaryArtifactId,
    startedBy,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    number: row.number,
    branch: row.branch,
    baseCommit: row.baseCommit,
    headCommit: row.headCommit,
    pushedAt: iso(row.pushedAt),
    pullRequestUrl: row.pullRequestUrl,
    forkedFromRunId: row.forkedFromRunId,
    reviewPlan: row.reviewPlan,
    planApprovedAt: iso(row.planApprovedAt),
  };
}

async function summaries(tx: Tx, orgId: string, where: SQL | undefined, limit: number) {
  const done = sql<number>`(select count(*)::int from ${runTasks} t where t.org_id = ${runs.orgId} and t.run_id = ${runs.id} and t.status = 'done')`;
  const total = sql<number>`(select count(*)::int from ${runTasks} t where t.org_id = ${runs.orgId} and t.run_id = ${runs.id} and t.status <> 'cancelled')`;
  const rows = await tx
    .select({
      run: runs,
      projectSlug: projects.slug,
      projectName: projects.name,
      startedBy: starterName,
      tasksDone: done,
      tasksTotal: total,
    })
    .from(runs)
    .innerJoin(projects, and(eq(projects.orgId, runs.orgId), eq(projects.id, runs.projectId)))
    .leftJoin(users, eq(users.id, runs.startedById))
    .where(and(eq(runs.orgId, orgId), where))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(limit);
  return rows.map(
    (r): RunSummary => ({
      id: r.run.id,
      goal: r.run.goal,
      templateSlug: r.run.templateSlug,
      status: r.run.status,
      tasksDone: Number(r.tasksDone),
      tasksTotal: Number(r.tasksTotal),
      inputTokens: r.run.inputTokens,
      outputTokens: r.run.outputTokens,
      costUsd: r.run.costUsd,
      startedBy: r.startedBy,
      startedAt: (r.run.startedAt ?? r.run.createdAt).toISOString(),
      projectSlug: r.projectSlug,
      projectName: r.projectName,
    }),
  );
}

/** The runs of a project, newest first. */
export async function listProjectRuns(
  ctx: OrgContext,
  projectSlug: string,
  opts: { limit?: number } = {},
): Promise<RunSummary[]> {
  return ctx.tx(async (tx) => {
    const project = await findProjectRow(tx, ctx.org.id, projectSlug);
    return summaries(tx, ctx.org.id, eq(runs.projectId, project.id), opts.limit ?? 50);
  });
}

/** The organization's most recent runs across projects. */
export async function listRecentRuns(ctx: OrgContext, opts: { limit?: number } = {}): Promise<RunSummary[]> {
  return ctx.tx((tx) => summaries(tx, ctx.org.id, undefined, opts.limit ?? 10));
}

/** The run with its tasks, approvals and artifacts (every version), read in one transaction. */
export async function getRunDetail(ctx: OrgContext, runId: string): Promise<RunDetail> {
  return ctx.tx((tx) => readRunDetail(tx, ctx.org.id, runId));
}

export async function readRunDetail(tx: Tx, orgId: string, runId: string): Promise<RunDetail> {
  const row = await findRunRow(tx, orgId, runId);
  const [project] = await tx
    .select({ id: projects.id, slug: projects.slug, name: projects.name })
    .from(projects)
    .where(and(eq(projects.orgId, orgId), eq(projects.id, row.projectId)))
    .limit(1);
  if (!project) throw runNotFound();
  const [starter] = row.startedById
    ? await tx.select({ name: starterName }).from(users).where(eq(users.id, row.startedById)).limit(1)
    : [];
  const taskRows = await tx
    .select()
    .from(runTasks)
    .where(and(eq(runTasks.orgId, orgId), eq(runTasks.runId, runId)))
    .orderBy(asc(runTasks.position), asc(runTasks.key));
  const approvalRows = await tx
    .select({ approval: approvals, decidedBy: starterName })
    .from(approvals)
    .leftJoin(users, eq(users.id, approvals.decidedById))
    .where(and(eq(approvals.orgId, orgId), eq(approvals.runId, runId)))
    .orderBy(asc(approvals.createdAt));
  const artifactRows = await tx
    .select()
    .from(artifacts)
    .where(and(eq(artifacts.orgId, orgId), eq(artifacts.runId, runId)))
    .orderBy(asc(artifacts.createdAt), asc(artifacts.version));

  return {
    run: toRunInfo(row, starter?.name ?? null),
    project,
    tasks: taskRows.map(({ orgId: _org, startedAt, finishedAt, ...t }) => ({
      ...t,
      startedAt: iso(startedAt),
      finishedAt: iso(finishedAt),
    })),
    approvals: approvalRows.map(({ approval: a, decidedBy }) => ({
      id: a.id,
      taskId: a.taskId,
      title: a.title,
      prompt: a.prompt,
      status: a.status,
      comment: a.comment,
      decidedBy,
      createdAt: a.createdAt.toISOString(),
      decidedAt: iso(a.decidedAt),
      expiresAt: iso(a.expiresAt),
    })),
    artifacts: groupArtifacts(artifactRows),
  };
}

function groupArtifacts(rows: (typeof artifacts.$inferSelect)[]): ArtifactInfo[] {
  const byKey = new Map<string, ArtifactInfo>();
  for (const r of rows) {
    let a = byKey.get(r.artifactKey);
    if (!a) {
      a = {
        id: r.artifactKey,
        kind: r.kind,
        title: r.title,
        path: r.path,
        language: r.language,
        taskId: r.taskId,
        agentSlug: r.agentSlug,
        versions: [],
      };
      byKey.set(r.artifactKey, a);
    }
    // The latest version names the artifact (a revision may retitle it).
    if (r.version >= (a.versions[a.versions.length - 1]?.version ?? 0)) {
      Object.assign(a, { title: r.title, path: r.path, language: r.language });
    }
    a.versions.push({
      version: r.version,
      content: r.content,
      summary: r.summary,
      createdAt: r.createdAt.toISOString(),
    });
  }
  for (const a of byKey.values()) a.versions.sort((x, y) => x.version - y.version);
  return [...byKey.values()];
}

/** The run's events after `afterSeq` (the run must be this organization's). */
export async function getRunEvents(
  ctx: OrgContext,
  runId: string,
  afterSeq = 0,
  limit = 5_000,
): Promise<StoredRunEvent[]> {
  return ctx.tx(async (tx) => {
    await findRunRow(tx, ctx.org.id, runId);
    return readRunEvents(tx, { orgId: ctx.org.id, runId }, afterSeq, limit);
  });
}

/** Display names of every agent the organization's runs may use, by slug. */
export async function readAgentNames(tx: Tx, orgId: string): Promise<Record<string, string>> {
  const catalog = await loadAgentCatalog(tx, orgId);
  return Object.fromEntries([...catalog].map(([slug, agent]) => [slug, agent.definition.name]));
}

export type RunPageData = RunDetail & { events: StoredRunEvent[]; agentNames: Record<string, string> };

/**
 * What the run page renders, read in one transaction so the events, tasks and artifact contents
 * agree: the stream then continues from the last event's position.
 */
export async function getRunPageData(ctx: OrgContext, runId: string): Promise<RunPageData> {
  return ctx.tx(async (tx) => {
    const detail = await readRunDetail(tx, ctx.org.id, runId);
    const scope = { orgId: ctx.org.id, runId: detail.run.id };
    const events: StoredRunEvent[] = [];
    for (;;) {
      const batch = await readRunEvents(tx, scope, events[events.length - 1]?.seq ?? 0, 5_000);
      events.push(...batch);
      if (batch.length < 5_000) break;
    }
    return { ...detail, events, agentNames: await readAgentNames(tx, ctx.org.id) };
  });
}

export async function getAgentNames(ctx: OrgContext): Promise<Record<string, string>> {
  return ctx.tx((tx) => readAgentNames(tx, ctx.org.id));
}
