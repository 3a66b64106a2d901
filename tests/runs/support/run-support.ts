import type { LanguageModel } from "ai";
import { APICallError } from "ai";
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { approvals, projects, runEvents, runs, runTasks } from "@/db/schema";
import { createDemoModel, type DemoModelOptions } from "@/lib/ai/demo-model";
import type { ResolvedModel } from "@/lib/ai/providers";
import type { ModelResolver } from "@/lib/runs/execute/types";
import { eventually } from "@/tests/engine/support/harness";
import { createTeam } from "@/tests/support/factories";

/** Shared helpers for the run-function tests that drive the real function on the embedded engine. */

export type V4 = Extract<LanguageModel, { specificationVersion: "v4" }>;
export type CallOptions = Parameters<V4["doGenerate"]>[0];
export type Scope = { orgId: string; runId: string };

export const demo = (options: DemoModelOptions = {}): ModelResolver => {
  const model = createDemoModel({ chunkDelayMs: 0, ...options });
  return async () =>
    ({ model, provider: "demo", modelId: "demo-scripted", isDemo: true }) satisfies ResolvedModel;
};

/** The demo model, except that calls whose prompt names `purpose` fail with `statusCode`. */
export function failing(purpose: string, statusCode: number): ModelResolver {
  const inner = createDemoModel({ chunkDelayMs: 0 });
  const refuse = (o: CallOptions) => {
    if (!JSON.stringify(o.prompt).includes(`Purpose: ${purpose}`)) return null;
    return new APICallError({
      message: `provider said no: {"error":"secret internals ${statusCode}"}`,
      url: "https://provider.invalid/v1/chat/completions",
      requestBodyValues: {},
      statusCode,
      responseBody: '{"error":"secret internals"}',
      isRetryable: false,
    });
  };
  const model: V4 = {
    specificationVersion: "v4",
    provider: inner.provider,
    modelId: inner.modelId,
    supportedUrls: {},
    async doStream(o) {
      const error = refuse(o);
      if (error) throw error;
      return inner.doStream(o);
    },
    async doGenerate(o) {
      const error = refuse(o);
      if (error) throw error;
      return inner.doGenerate(o);
    },
  };
  return async () => ({ model, provider: "demo", modelId: "demo-scripted", isDemo: true });
}

export function must<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error("expected a value");
  return value;
}

export async function createRun(
  opts: { template?: string; budget?: number; team?: Awaited<ReturnType<typeof createTeam>> } = {},
) {
  const team = opts.team ?? (await createTeam());
  const db = await getDb();
  const [project] = await db
    .insert(projects)
    .values({
      orgId: team.org.id,
      name: "Feedback Portal",
      slug: `p-${crypto.randomUUID().slice(0, 8)}`,
      brief: "A portal where customers leave feedback.",
    })
    .returning();
  const [run] = await db
    .insert(runs)
    .values({
      orgId: team.org.id,
      projectId: must(project).id,
      goal: "Design the architecture of a customer feedback portal with AI triage.",
      templateSlug: opts.template ?? "technical-architecture-overview",
      tokenBudget: opts.budget ?? 5_000_000,
      usesDemoModel: true,
      startedById: team.owner.id,
    })
    .returning();
  const created = must(run);
  return { team, run: created, scope: { orgId: team.org.id, runId: created.id } };
}

export async function runRow(runId: string) {
  const db = await getDb();
  const [row] = await db.select().from(runs).where(eq(runs.id, runId));
  return must(row);
}

export async function eventsOf(runId: string) {
  const db = await getDb();
  return db.select().from(runEvents).where(eq(runEvents.runId, runId)).orderBy(asc(runEvents.seq));
}

export async function tasksOf(runId: string) {
  const db = await getDb();
  return db.select().from(runTasks).where(eq(runTasks.runId, runId)).orderBy(asc(runTasks.position));
}

export async function pendingApprovals(runId: string) {
  const db = await getDb();
  return db
    .select()
    .from(approvals)
    .where(and(eq(approvals.runId, runId), eq(approvals.status, "pending")));
}

export const FINAL = ["completed", "failed", "cancelled", "budget_exhausted"];

/** Waits for the run to end, deciding every approval with `decide` as it appears. */
export async function driveToEnd(
  scope: Scope,
  decide: (scope: Scope, approvalId: string) => Promise<void>,
  timeoutMs = 90_000,
) {
  return eventually(async () => {
    const row = await runRow(scope.runId);
    if (FINAL.includes(row.status)) return row;
    for (const a of await pendingApprovals(scope.runId)) await decide(scope, a.id);
    return undefined;
  }, timeoutMs);
}
