import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

/**
 * The embedded Inngest engine's durable state (lib/engine). Not tenant tables: the engine knows
 * nothing about organizations, runs as the owner connection, and the migration revokes the app
 * role's access. Payloads (event, step output, run output) are stored as the JSON text the SDK
 * produced, so they round-trip byte for byte (jsonb would reorder keys).
 */

export const ENGINE_RUN_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type EngineRunStatus = (typeof ENGINE_RUN_STATUSES)[number];

export const ENGINE_STEP_STATUSES = [
  "running",
  "sleeping",
  "waiting",
  "invoking",
  "completed",
  "failed",
] as const;
export type EngineStepStatus = (typeof ENGINE_STEP_STATUSES)[number];

export const ENGINE_JOB_KINDS = ["discover", "step", "sleep", "wait", "invoke_timeout", "cron"] as const;
export type EngineJobKind = (typeof ENGINE_JOB_KINDS)[number];

/** A concurrency constraint a run's work counts against: key and limit. */
export type EngineConcurrencySlot = { k: string; n: number };

export const engineEvents = pgTable(
  "engine_events",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    id: text("id").notNull().unique(),
    name: text("name").notNull(),
    payload: text("payload").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    index("engine_events_pending_idx").on(t.seq).where(sql`${t.processedAt} is null`),
    index("engine_events_received_idx").on(t.receivedAt),
  ],
);

export const engineRuns = pgTable(
  "engine_runs",
  {
    id: text("id").primaryKey(),
    functionId: text("function_id").notNull(),
    status: text("status", { enum: ENGINE_RUN_STATUSES }).notNull().default("queued"),
    eventId: text("event_id"),
    event: text("event").notNull(),
    concurrency: jsonb("concurrency").$type<EngineConcurrencySlot[]>(),
    output: text("output"),
    error: jsonb("error").$type<Record<string, unknown>>(),
    /** Retries so far (step and function level). */
    attempts: integer("attempts").notNull().default(0),
    parentRunId: text("parent_run_id"),
    parentStepId: text("parent_step_id"),
    replayOf: text("replay_of"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    index("engine_runs_created_idx").on(t.createdAt),
    index("engine_runs_function_idx").on(t.functionId, t.createdAt),
    index("engine_runs_status_idx").on(t.status, t.createdAt),
  ],
);

/** Completion order of steps across all runs; the SDK replays a run's steps in this order. */
export const engineStepSeq = pgSequence("engine_step_seq");

export const engineSteps = pgTable(
  "engine_steps",
  {
    runId: text("run_id")
      .notNull()
      .references(() => engineRuns.id, { onDelete: "cascade" }),
    hashedId: text("hashed_id").notNull(),
    stepId: text("step_id").notNull(),
    name: text("name").notNull(),
    op: text("op").notNull(),
    status: text("status", { enum: ENGINE_STEP_STATUSES }).notNull(),
    attempt: integer("attempt").notNull().default(0),
    output: text("output"),
    error: jsonb("error").$type<Record<string, unknown>>(),
    opts: jsonb("opts").$type<Record<string, unknown>>(),
    seq: bigint("seq", { mode: "number" }),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.hashedId] }),
    index("engine_steps_run_seq_idx").on(t.runId, t.seq),
  ],
);

/**
 * The queue: runnable work and timers. `key` makes enqueueing idempotent (one discovery per run,
 * one job per planned step, sleep, wait or cron schedule). A job is claimed by setting `claim`
 * (unique per claim) and a lease that the claiming worker keeps extending; an expired lease makes
 * the job claimable again, which is how work survives a killed process.
 */
export const engineJobs = pgTable(
  "engine_jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    key: text("key").notNull().unique(),
    kind: text("kind", { enum: ENGINE_JOB_KINDS }).notNull(),
    runId: text("run_id").references(() => engineRuns.id, { onDelete: "cascade" }),
    functionId: text("function_id").notNull(),
    stepId: text("step_id").notNull().default(""),
    attempt: integer("attempt").notNull().default(0),
    /** Set when the run changed while this discovery was in flight: run it again. */
    again: boolean("again").notNull().default(false),
    availableAt: timestamp("available_at", { withTimezone: true }).notNull().defaultNow(),
    claim: text("claim"),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    concurrency: jsonb("concurrency").$type<EngineConcurrencySlot[]>(),
    waitEvent: text("wait_event"),
    waitIf: text("wait_if"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("engine_jobs_ready_idx").on(t.availableAt, t.id).where(sql`${t.claim} is null`),
    index("engine_jobs_lease_idx").on(t.leaseUntil).where(sql`${t.claim} is not null`),
    index("engine_jobs_wait_idx").on(t.waitEvent).where(sql`${t.kind} = 'wait'`),
    index("engine_jobs_run_idx").on(t.runId),
  ],
);
