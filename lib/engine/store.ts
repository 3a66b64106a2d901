import { type SQL, sql } from "drizzle-orm";
import type { Db, Executor, Tx } from "@/db";
import type { EngineConcurrencySlot, EngineJobKind, EngineRunStatus } from "@/db/schema/engine";
import type { Write } from "./transaction";

/**
 * Every SQL statement of the engine. Timestamps come back as epoch milliseconds (float8) and ids
 * as numbers so postgres.js and PGlite return the same shapes.
 */

export async function rows<T>(ex: Executor, query: SQL): Promise<T[]> {
  const result = (await ex.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
const textList = (values: string[]) =>
  sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
const inMs = (ms: number) => sql`now() + make_interval(secs => ${ms / 1000})`;

export const ACTIVE = sql`('queued', 'running')`;

export type JobRow = {
  id: number;
  key: string;
  kind: EngineJobKind;
  run_id: string | null;
  function_id: string;
  step_id: string;
  attempt: number;
  again: boolean;
  claim: string;
  concurrency: EngineConcurrencySlot[] | null;
  wait_event: string | null;
  wait_if: string | null;
};

export type RunRow = {
  id: string;
  function_id: string;
  status: EngineRunStatus;
  event: string;
  concurrency: EngineConcurrencySlot[] | null;
  parent_run_id: string | null;
  parent_step_id: string | null;
  has_step_jobs: boolean;
};

export type StoredStep = {
  hashed_id: string;
  status: "completed" | "failed";
  output: string | null;
  error: unknown;
};

/**
 * Stores received events. An id seen in the last 24 hours is ignored (Inngest's idempotency window
 * for event ids); an older one is received again as a new event, processed after those pending.
 */
export async function insertEvents(ex: Executor, events: { id: string; name: string; payload: string }[]) {
  if (!events.length) return;
  await ex.execute(sql`
    insert into engine_events (id, name, payload)
    select id, name, payload from (
      -- One row per id (the first), kept in the order sent: the order events are processed in.
      select distinct on (e->>'id') e->>'id' as id, e->>'name' as name, e->>'payload' as payload, n
      from jsonb_array_elements(${json(events)}) with ordinality as t(e, n)
      order by e->>'id', n
    ) first_of_each order by n
    on conflict (id) do update
      set name = excluded.name, payload = excluded.payload, received_at = now(), processed_at = null,
          seq = nextval(pg_get_serial_sequence('engine_events', 'seq'))
      where engine_events.received_at < now() - interval '24 hours'`);
}

export type NewRun = {
  id: string;
  functionId: string;
  event: string;
  eventId: string | null;
  concurrency: EngineConcurrencySlot[] | null;
  parentRunId?: string;
  parentStepId?: string;
  replayOf?: string;
};

/** A run and its first discovery job, atomically. */
export async function insertRun(ex: Executor, run: NewRun) {
  const concurrency = run.concurrency ? json(run.concurrency) : sql`null::jsonb`;
  await ex.execute(sql`
    with r as (
      insert into engine_runs (id, function_id, event, event_id, concurrency, parent_run_id, parent_step_id, replay_of)
      values (${run.id}, ${run.functionId}, ${run.event}, ${run.eventId}, ${concurrency},
              ${run.parentRunId ?? null}, ${run.parentStepId ?? null}, ${run.replayOf ?? null})
      returning id
    )
    insert into engine_jobs (key, kind, run_id, function_id, concurrency)
    select 'discover:' || id, 'discover', id, ${run.functionId}, ${concurrency} from r`);
}

export type ClaimOptions = { limit: number; leaseMs: number; claimPrefix: string; inflight: string[] };

/**
 * A claim is live while its lease runs, and always while this worker is still working on it (a
 * stalled event loop can let a lease lapse; the job must not run twice in one process).
 */
const liveClaim = (inflight: string[]) => sql`(j.lease_until >= now() or j.claim in ${textList(inflight)})`;

const JOB_COLUMNS = sql`j.id::float8 as id, j.key, j.kind, j.run_id, j.function_id, j.step_id, j.attempt, j.again,
  j.concurrency, j.wait_event, j.wait_if, j.claim`;

/**
 * Claims up to `limit` due jobs that have no concurrency limit, in one statement. Rows are picked
 * with `FOR UPDATE SKIP LOCKED`, so concurrent claimers (other processes on the same database)
 * never get the same job.
 */
export async function claimFreeJobs(db: Db, opts: ClaimOptions & { asyncCommit: boolean }) {
  const asyncCommit = opts.asyncCommit
    ? sql`where set_config('synchronous_commit', 'off', true) is not null`
    : sql``;
  return rows<JobRow>(
    db,
    sql`
    with picked as (
      select j.id from engine_jobs j
      where j.concurrency is null and j.available_at <= now() and (j.claim is null or not ${liveClaim(opts.inflight)})
      order by j.available_at, j.id
      limit ${opts.limit}
      for update of j skip locked
    ),
    claimed as (
      update engine_jobs j set claim = ${opts.claimPrefix} || '.' || j.id, lease_until = ${inMs(opts.leaseMs)}, again = false
      from picked where j.id = picked.id
      returning ${JOB_COLUMNS}
    ),
    started as (
      update engine_runs r set status = 'running', started_at = coalesce(r.started_at, now())
      from claimed c where r.id = c.run_id and c.kind in ('discover', 'step') and r.status = 'queued'
    )
    select * from claimed ${asyncCommit} order by id`,
  );
}

/**
 * Claims due jobs of concurrency-limited functions. Jobs whose key is saturated are skipped; keys
 * are re-counted under a per-key advisory lock so two claimers cannot both take the last slot.
 */
export async function claimLimitedJobs(write: Write, opts: ClaimOptions) {
  const live = liveClaim(opts.inflight);
  return write(async (tx) => {
    const candidates = await rows<JobRow>(
      tx,
      sql`
      with inflight as (
        select c->>'k' as k, count(*) as n
        from engine_jobs j, jsonb_array_elements(j.concurrency) c
        where j.claim is not null and ${live} and j.concurrency is not null
        group by 1
      )
      select ${JOB_COLUMNS}
      from engine_jobs j
      where j.concurrency is not null and j.available_at <= now()
        and (j.claim is null or not ${live})
        and not exists (
          select 1 from jsonb_array_elements(j.concurrency) c
          join inflight i on i.k = c->>'k'
          where i.n >= (c->>'n')::int
        )
      order by j.available_at, j.id
      limit ${opts.limit}
      for update of j skip locked`,
    );
    if (!candidates.length) return [];
    const admitted = await admitByConcurrency(tx, candidates, live);
    if (!admitted.length) return [];
    const claimed = admitted.map((job) => ({ ...job, claim: `${opts.claimPrefix}.${job.id}` }));
    const claims = claimed.map((j) => ({ id: j.id, claim: j.claim }));
    await tx.execute(sql`
      with c as (select (e->>'id')::bigint as id, e->>'claim' as claim from jsonb_array_elements(${json(claims)}) e),
      j as (
        update engine_jobs j set claim = c.claim, lease_until = ${inMs(opts.leaseMs)}, again = false
        from c where j.id = c.id
        returning j.run_id, j.kind
      )
      update engine_runs r set status = 'running', started_at = coalesce(r.started_at, now())
      from j where r.id = j.run_id and j.kind in ('discover', 'step') and r.status = 'queued'`);
    return claimed;
  });
}

async function admitByConcurrency<T extends { concurrency: EngineConcurrencySlot[] | null }>(
  tx: Tx,
  candidates: T[],
  live: SQL,
): Promise<T[]> {
  const keys = [...new Set(candidates.flatMap((c) => (c.concurrency ?? []).map((s) => s.k)))].sort();
  if (!keys.length) return candidates;
  for (const k of keys) await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${k}, 0))`);
  const counts = await rows<{ k: string; n: number }>(
    tx,
    sql`
    select c->>'k' as k, count(*)::int as n
    from engine_jobs j, jsonb_array_elements(j.concurrency) c
    where j.claim is not null and ${live} and c->>'k' in ${textList(keys)}
    group by 1`,
  );
  const used = new Map(counts.map((c) => [c.k, Number(c.n)]));
  const admitted: T[] = [];
  for (const job of candidates) {
    const slots = job.concurrency ?? [];
    if (slots.every((s) => (used.get(s.k) ?? 0) < s.n)) {
      for (const s of slots) used.set(s.k, (used.get(s.k) ?? 0) + 1);
      admitted.push(job);
    }
  }
  return admitted;
}

/**
 * The heartbeat. Rows a transaction holds are skipped, not waited for: that transaction is this
 * worker's own (it extends, releases or deletes the job itself), and a heartbeat that waited on it
 * while holding other rows of the same claims deadlocked with it on Postgres.
 */
export async function extendLeases(db: Db, claims: string[], leaseMs: number) {
  if (!claims.length) return;
  await db.execute(
    sql`update engine_jobs set lease_until = ${inMs(leaseMs)}
        where id in (select id from engine_jobs where claim in ${textList(claims)} for update skip locked)`,
  );
}

/** Makes every claimed job claimable now: for a database only this process can open (PGlite). */
export async function expireAllLeases(db: Db): Promise<number> {
  const released = await rows(
    db,
    sql`update engine_jobs set lease_until = '-infinity' where claim is not null returning id`,
  );
  return released.length;
}

/** Milliseconds until the next job becomes due (or a lease expires), or undefined if none. */
export async function msUntilNextDue(db: Db): Promise<number | undefined> {
  const [row] = await rows<{ ms: number | null }>(
    db,
    sql`select extract(epoch from least(
          (select min(available_at) from engine_jobs where claim is null),
          (select min(lease_until) from engine_jobs where claim is not null)
        ) - now())::float8 * 1000 as ms`,
  );
  return row?.ms == null ? undefined : Math.max(0, row.ms);
}

export async function loadRun(ex: Executor, runId: string): Promise<RunRow | undefined> {
  const [run] = await rows<RunRow>(
    ex,
    sql`
    select r.id, r.function_id, r.status, r.event, r.concurrency, r.parent_run_id, r.parent_step_id,
           exists (select 1 from engine_jobs j where j.run_id = r.id and j.kind = 'step') as has_step_jobs
    from engine_runs r where r.id = ${runId}`,
  );
  return run;
}

/** The run and its stored steps in completion order (the SDK's memoized state), in one query. */
export async function loadRunState(ex: Executor, runId: string) {
  const [run] = await rows<RunRow & { steps: StoredStep[] }>(
    ex,
    sql`
    select r.id, r.function_id, r.status, r.event, r.concurrency, r.parent_run_id, r.parent_step_id,
           exists (select 1 from engine_jobs j where j.run_id = r.id and j.kind = 'step') as has_step_jobs,
           coalesce((
             select json_agg(json_build_object('hashed_id', s.hashed_id, 'status', s.status, 'output', s.output,
                                               'error', s.error) order by s.seq)
             from engine_steps s where s.run_id = r.id and s.status in ('completed', 'failed')
           ), '[]'::json) as steps
    from engine_runs r where r.id = ${runId}`,
  );
  return run;
}

/** Locks a job this worker still owns; undefined when it was cancelled or taken over. */
export async function lockOwnedJob(tx: Tx, id: number, claim: string) {
  const [job] = await rows<{ again: boolean; attempt: number }>(
    tx,
    sql`select again, attempt from engine_jobs where id = ${id} and claim = ${claim} for update`,
  );
  return job;
}

export type StepWrite = {
  runId: string;
  hashedId: string;
  stepId: string;
  name: string;
  op: string;
  attempt: number;
  output?: string | null;
  error?: unknown;
  startedAt?: number;
  endedAt?: number;
};

/**
 * Stores a step's result once: the first write wins, later ones (a duplicate execution, a timeout
 * racing an event) change nothing. Only for a run that is still active. Returns whether it stored.
 */
export async function storeStepResult(ex: Executor, step: StepWrite): Promise<boolean> {
  const status = step.error === undefined ? "completed" : "failed";
  const error = step.error === undefined ? sql`null::jsonb` : json(step.error);
  const started = step.startedAt ? at(step.startedAt) : sql`now()`;
  const ended = step.endedAt ? at(step.endedAt) : sql`now()`;
  const stored = await rows<{ hashed_id: string }>(
    ex,
    sql`
    insert into engine_steps (run_id, hashed_id, step_id, name, op, status, attempt, output, error, seq, started_at, ended_at)
    select ${step.runId}, ${step.hashedId}, ${step.stepId}, ${step.name}, ${step.op}, ${status}, ${step.attempt},
           ${step.output ?? null}, ${error}, nextval('engine_step_seq'), ${started}, ${ended}
    where exists (select 1 from engine_runs where id = ${step.runId} and status in ${ACTIVE})
    on conflict (run_id, hashed_id) do update
      set status = excluded.status, attempt = excluded.attempt, output = excluded.output,
          error = excluded.error, seq = excluded.seq, ended_at = excluded.ended_at
      where engine_steps.status not in ('completed', 'failed')
    returning hashed_id`,
  );
  return stored.length > 0;
}

/**
 * Records a step the SDK planned (or a sleep, wait, invoke) before it has a result. Returns false
 * when it was already recorded: the SDK reports a pending step again on every discovery.
 */
export async function insertPendingStep(
  ex: Executor,
  step: Omit<StepWrite, "output" | "error" | "endedAt"> & { status: string; opts?: Record<string, unknown> },
): Promise<boolean> {
  const inserted = await rows(
    ex,
    sql`
    insert into engine_steps (run_id, hashed_id, step_id, name, op, status, attempt, opts)
    values (${step.runId}, ${step.hashedId}, ${step.stepId}, ${step.name}, ${step.op}, ${step.status},
            ${step.attempt}, ${step.opts ? json(step.opts) : sql`null::jsonb`})
    on conflict (run_id, hashed_id) do nothing
    returning 1`,
  );
  return inserted.length > 0;
}

export async function recordStepRetry(
  ex: Executor,
  runId: string,
  hashedId: string,
  attempt: number,
  error: unknown,
) {
  await ex.execute(sql`
    update engine_steps set attempt = ${attempt}, error = ${json(error)}
    where run_id = ${runId} and hashed_id = ${hashedId} and status not in ('completed', 'failed')`);
}

export type NewJob = {
  key: string;
  kind: EngineJobKind;
  runId: string | null;
  functionId: string;
  stepId?: string;
  availableAt?: number;
  concurrency?: EngineConcurrencySlot[] | null;
  waitEvent?: string;
  waitIf?: string;
};

export async function enqueueJob(ex: Executor, job: NewJob) {
  await ex.execute(sql`
    insert into engine_jobs (key, kind, run_id, function_id, step_id, available_at, concurrency, wait_event, wait_if)
    values (${job.key}, ${job.kind}, ${job.runId}, ${job.functionId}, ${job.stepId ?? ""},
            ${job.availableAt ? at(job.availableAt) : sql`now()`},
            ${job.concurrency ? json(job.concurrency) : sql`null::jsonb`}, ${job.waitEvent ?? null}, ${job.waitIf ?? null})
    on conflict (key) do nothing`);
}

/** A planned step's job, unless that step already has a result. */
export async function enqueueStepJob(ex: Executor, run: RunRow, hashedId: string) {
  const concurrency = run.concurrency ? json(run.concurrency) : sql`null::jsonb`;
  await ex.execute(sql`
    insert into engine_jobs (key, kind, run_id, function_id, step_id, concurrency)
    select ${`step:${run.id}:${hashedId}`}, 'step', ${run.id}, ${run.function_id}, ${hashedId}, ${concurrency}
    where not exists (
      select 1 from engine_steps where run_id = ${run.id} and hashed_id = ${hashedId} and status in ('completed', 'failed')
    )
    on conflict (key) do nothing`);
}

/**
 * Asks for the run's next discovery. There is at most one discovery job per run; if one is in
 * flight it is flagged to run again, so a result stored meanwhile is never missed.
 */
export async function requestDiscovery(ex: Executor, runId: string) {
  await ex.execute(sql`
    insert into engine_jobs (key, kind, run_id, function_id, concurrency)
    select 'discover:' || r.id, 'discover', r.id, r.function_id, r.concurrency
    from engine_runs r where r.id = ${runId} and r.status in ${ACTIVE}
    on conflict (key) do update set again = (engine_jobs.claim is not null)`);
}

export async function deleteJobByKey(ex: Executor, key: string) {
  await ex.execute(sql`delete from engine_jobs where key = ${key}`);
}

export async function deleteJob(ex: Executor, id: number) {
  await ex.execute(sql`delete from engine_jobs where id = ${id}`);
}

/** Hands a job back to the queue, due after `delayMs`. */
export async function releaseJob(ex: Executor, id: number, opts: { attempt: number; delayMs?: number }) {
  await ex.execute(sql`
    update engine_jobs set claim = null, lease_until = null, again = false, attempt = ${opts.attempt},
      available_at = ${opts.delayMs ? inMs(opts.delayMs) : sql`now()`}
    where id = ${id}`);
}

export async function resetJobAttempt(ex: Executor, id: number, leaseMs: number) {
  await ex.execute(
    sql`update engine_jobs set attempt = 0, again = false, lease_until = ${inMs(leaseMs)} where id = ${id}`,
  );
}

export async function countRetry(ex: Executor, runId: string) {
  await ex.execute(sql`update engine_runs set attempts = attempts + 1 where id = ${runId}`);
}

export type FinishedRun = {
  id: string;
  function_id: string;
  event: string;
  parent_run_id: string | null;
  parent_step_id: string | null;
};

/** Moves an active run to a final status and drops its remaining jobs; undefined if already final. */
export async function finishRun(
  ex: Executor,
  runId: string,
  status: "completed" | "failed" | "cancelled",
  result: { output?: string | null; error?: unknown },
): Promise<FinishedRun | undefined> {
  const [run] = await rows<FinishedRun>(
    ex,
    sql`
    update engine_runs set status = ${status}, output = ${result.output ?? null},
      error = ${result.error === undefined ? sql`null::jsonb` : json(result.error)}, ended_at = now(),
      started_at = coalesce(started_at, now())
    where id = ${runId} and status in ${ACTIVE}
    returning id, function_id, event, parent_run_id, parent_step_id`,
  );
  if (run) await ex.execute(sql`delete from engine_jobs where run_id = ${runId}`);
  return run;
}

export type PendingEvent = { seq: number; id: string; name: string; payload: string; received_ms: number };

export async function claimPendingEvents(tx: Tx, limit: number) {
  return rows<PendingEvent>(
    tx,
    sql`select seq::float8 as seq, id, name, payload, extract(epoch from received_at)::float8 * 1000 as received_ms
        from engine_events where processed_at is null order by seq limit ${limit} for update skip locked`,
  );
}

export async function markEventsProcessed(tx: Tx, seqs: number[]) {
  await tx.execute(
    sql`update engine_events set processed_at = now() where seq in (select (jsonb_array_elements_text(${JSON.stringify(seqs)}::jsonb))::bigint)`,
  );
}

export type WaitingRun = {
  id: number;
  run_id: string;
  step_id: string;
  wait_if: string | null;
  event: string;
};

/** The runs with a wait for `name` registered before the event arrived (to lock them before the waits). */
export async function runsWaitingFor(tx: Tx, name: string, receivedMs: number) {
  const found = await rows<{ run_id: string }>(
    tx,
    sql`select distinct j.run_id from engine_jobs j
        where j.kind = 'wait' and j.wait_event = ${name} and j.claim is null and j.created_at < ${at(receivedMs)}`,
  );
  return found.map((r) => r.run_id);
}

/** Waits for `name` registered before the event arrived, locked (not skipped) against their timeout. */
export async function waitsFor(tx: Tx, name: string, receivedMs: number) {
  return rows<WaitingRun>(
    tx,
    sql`select j.id::float8 as id, j.run_id, j.step_id, j.wait_if, r.event
        from engine_jobs j join engine_runs r on r.id = j.run_id
        where j.kind = 'wait' and j.wait_event = ${name} and j.claim is null and j.created_at < ${at(receivedMs)}
        order by j.id
        for update of j`,
  );
}

export async function activeRunsOf(tx: Tx, functionId: string, beforeMs: number) {
  return rows<{ id: string; event: string; created_ms: number }>(
    tx,
    sql`select id, event, extract(epoch from created_at)::float8 * 1000 as created_ms from engine_runs
        where function_id = ${functionId} and status in ${ACTIVE} and created_at < ${at(beforeMs)}
        order by id`,
  );
}

export async function syncCronJobs(
  write: Write,
  jobs: { key: string; functionId: string; availableAt: number }[],
) {
  await write(async (tx) => {
    await tx.execute(
      sql`delete from engine_jobs where kind = 'cron' and key not in ${textList(jobs.map((j) => j.key))}`,
    );
    for (const job of jobs) {
      await enqueueJob(tx, {
        key: job.key,
        kind: "cron",
        runId: null,
        functionId: job.functionId,
        availableAt: job.availableAt,
      });
    }
  });
}

export async function rescheduleJob(ex: Executor, id: number, availableAt: number) {
  await ex.execute(
    sql`update engine_jobs set claim = null, lease_until = null, available_at = ${at(availableAt)} where id = ${id}`,
  );
}

/** Retention: processed events and finished runs older than the given ages. */
export async function pruneHistory(db: Db, opts: { eventsMs: number; runsMs: number }) {
  await db.execute(
    sql`delete from engine_events where processed_at is not null and received_at < now() - make_interval(secs => ${opts.eventsMs / 1000})`,
  );
  await db.execute(
    sql`delete from engine_runs where status not in ${ACTIVE} and ended_at < now() - make_interval(secs => ${opts.runsMs / 1000})`,
  );
}
