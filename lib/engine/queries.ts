import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db";
import { ENGINE_RUN_STATUSES, type EngineRunStatus, type EngineStepStatus } from "@/db/schema/engine";
import { rows } from "./store";

/** Read model for the operator pages: runs, their steps, filters. */

export const RUN_PAGE_SIZE = 50;

export const runFiltersSchema = z.object({
  status: z.enum(ENGINE_RUN_STATUSES, { message: "Unknown status" }).optional(),
  functionId: z.string().trim().max(200, "Function id is too long").optional(),
  before: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "Not a run id")
    .optional(),
});
export type RunFilters = z.infer<typeof runFiltersSchema>;

export type RunSummary = {
  id: string;
  functionId: string;
  status: EngineRunStatus;
  attempts: number;
  createdAt: Date;
  durationMs: number | null;
  replayOf: string | null;
};

type RunRow = {
  id: string;
  function_id: string;
  status: EngineRunStatus;
  attempts: number;
  created_ms: number;
  duration_ms: number | null;
  replay_of: string | null;
};

const summary = (r: RunRow): RunSummary => ({
  id: r.id,
  functionId: r.function_id,
  status: r.status,
  attempts: r.attempts,
  createdAt: new Date(r.created_ms),
  durationMs: r.duration_ms === null ? null : Math.round(r.duration_ms),
  replayOf: r.replay_of,
});

const RUN_COLUMNS = sql`id, function_id, status, attempts, replay_of,
  extract(epoch from created_at)::float8 * 1000 as created_ms,
  extract(epoch from (coalesce(ended_at, now()) - coalesce(started_at, created_at)))::float8 * 1000 as duration_ms`;

/** Newest first; `before` pages back from a run id (ids sort by creation time). */
export async function listRuns(ex: Executor, filters: RunFilters): Promise<RunSummary[]> {
  const found = await rows<RunRow>(
    ex,
    sql`select ${RUN_COLUMNS} from engine_runs
        where (${filters.status ?? null}::text is null or status = ${filters.status ?? null})
          and (${filters.functionId ?? null}::text is null or function_id = ${filters.functionId ?? null})
          and (${filters.before ?? null}::text is null or id < ${filters.before ?? null})
        order by id desc limit ${RUN_PAGE_SIZE}`,
  );
  return found.map(summary);
}

export async function listFunctionIds(ex: Executor): Promise<string[]> {
  const found = await rows<{ function_id: string }>(
    ex,
    sql`select distinct function_id from engine_runs order by function_id`,
  );
  return found.map((r) => r.function_id);
}

export async function countRunsByStatus(ex: Executor): Promise<Record<EngineRunStatus, number>> {
  const found = await rows<{ status: EngineRunStatus; n: number }>(
    ex,
    sql`select status, count(*)::int as n from engine_runs group by status`,
  );
  const counts = Object.fromEntries(ENGINE_RUN_STATUSES.map((s) => [s, 0])) as Record<
    EngineRunStatus,
    number
  >;
  for (const r of found) counts[r.status] = Number(r.n);
  return counts;
}

export type StepView = {
  hashedId: string;
  stepId: string;
  name: string;
  op: string;
  status: EngineStepStatus;
  attempt: number;
  startedAt: Date;
  durationMs: number | null;
  output: string | null;
  error: { name?: string; message?: string; stack?: string } | null;
  opts: Record<string, unknown> | null;
};

export type RunDetail = RunSummary & {
  event: string;
  output: string | null;
  error: { name?: string; message?: string; stack?: string } | null;
  startedAt: Date | null;
  endedAt: Date | null;
  parentRunId: string | null;
  steps: StepView[];
  children: RunSummary[];
  replays: RunSummary[];
};

export async function getRunDetail(ex: Executor, runId: string): Promise<RunDetail | undefined> {
  const [run] = await rows<
    RunRow & {
      event: string;
      output: string | null;
      error: RunDetail["error"];
      started_ms: number | null;
      ended_ms: number | null;
      parent_run_id: string | null;
    }
  >(
    ex,
    sql`select ${RUN_COLUMNS}, event, output, error, parent_run_id,
          extract(epoch from started_at)::float8 * 1000 as started_ms,
          extract(epoch from ended_at)::float8 * 1000 as ended_ms
        from engine_runs where id = ${runId}`,
  );
  if (!run) return undefined;
  const steps = await rows<{
    hashed_id: string;
    step_id: string;
    name: string;
    op: string;
    status: EngineStepStatus;
    attempt: number;
    started_ms: number;
    duration_ms: number | null;
    output: string | null;
    error: StepView["error"];
    opts: StepView["opts"];
  }>(
    ex,
    sql`select hashed_id, step_id, name, op, status, attempt, output, error, opts,
          extract(epoch from started_at)::float8 * 1000 as started_ms,
          extract(epoch from (ended_at - started_at))::float8 * 1000 as duration_ms
        from engine_steps where run_id = ${runId} order by started_at, seq nulls last`,
  );
  const related = await rows<RunRow & { parent_run_id: string | null }>(
    ex,
    sql`select ${RUN_COLUMNS}, parent_run_id from engine_runs
        where parent_run_id = ${runId} or replay_of = ${runId} order by id`,
  );
  return {
    ...summary(run),
    event: run.event,
    output: run.output,
    error: run.error,
    startedAt: run.started_ms === null ? null : new Date(run.started_ms),
    endedAt: run.ended_ms === null ? null : new Date(run.ended_ms),
    parentRunId: run.parent_run_id,
    steps: steps.map((s) => ({
      hashedId: s.hashed_id,
      stepId: s.step_id,
      name: s.name,
      op: s.op,
      status: s.status,
      attempt: s.attempt,
      startedAt: new Date(s.started_ms),
      durationMs: s.duration_ms === null ? null : Math.round(s.duration_ms),
      output: s.output,
      error: s.error,
      opts: s.opts,
    })),
    children: related.filter((r) => r.parent_run_id === runId).map(summary),
    replays: related.filter((r) => r.replay_of === runId).map(summary),
  };
}
