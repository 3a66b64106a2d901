import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
// Status and priority words are the domain's, defined once in lib/runs (pure modules).
import { RUN_STATUSES } from "../../lib/runs/events";
import { TASK_PRIORITIES } from "../../lib/runs/plan";
import { TASK_STATUSES } from "../../lib/runs/schedule";
import { users } from "./auth";
import { organizations, tenantColumn, tenantPolicy } from "./organizations";
import { projects } from "./projects";

/** The agent swarm's tenant tables. Every row carries org_id; RLS confines it like the rest. */

export const TASK_WORKERS = ["agent", "external"] as const;

export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "timed_out"] as const;

/** Organization-level AI settings: provider (key encrypted), default budget, parallel-run limit. */
export const orgAiSettings = pgTable(
  "org_ai_settings",
  {
    orgId: uuid("org_id")
      .primaryKey()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** ProviderConfig from lib/ai/providers.ts without the key. */
    provider: jsonb("provider").$type<Record<string, unknown>>(),
    /** AES-256-GCM (lib/crypto.ts); never sent to the browser. */
    apiKeyEncrypted: text("api_key_encrypted"),
    defaultTokenBudget: integer("default_token_budget").notNull().default(200_000),
    maxConcurrentRuns: integer("max_concurrent_runs").notNull().default(2),
    standards: text("standards").notNull().default(""),
    /** Lets the install step (e.g. `npm ci`) reach the network before the offline checks; audited. */
    installWithNetwork: boolean("install_with_network").notNull().default(false),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  () => [tenantPolicy("org_ai_settings")],
).enableRLS();

/** An organization's own agents (clones of built-ins or new ones); every save is a new version. */
export const agentVersions = pgTable(
  "agent_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    slug: text("slug").notNull(),
    version: integer("version").notNull(),
    /** agentDefinitionSchema from lib/agents/schema.ts. */
    definition: jsonb("definition").$type<Record<string, unknown>>().notNull(),
    basedOn: text("based_on"),
    archived: boolean("archived").notNull().default(false),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("agent_versions_org_slug_version_idx").on(t.orgId, t.slug, t.version),
    tenantPolicy("agent_versions"),
  ],
).enableRLS();

export const runs = pgTable(
  "runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    goal: text("goal").notNull(),
    templateSlug: text("template_slug").notNull(),
    status: text("status", { enum: RUN_STATUSES }).notNull().default("queued"),
    statusReason: text("status_reason"),
    tokenBudget: integer("token_budget").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    /** Slug → version (0 = built-in) of every agent the run used. */
    agentVersions: jsonb("agent_versions").$type<Record<string, number>>().notNull().default({}),
    modelLabel: text("model_label"),
    usesDemoModel: boolean("uses_demo_model").notNull().default(false),
    summaryArtifactId: uuid("summary_artifact_id"),
    /** The run's number in its project (branch `dm/<number>-<slug>`). */
    number: integer("number"),
    /** The run's git branch, the commit it started from, and its head after the last accepted task. */
    branch: text("branch"),
    baseCommit: text("base_commit"),
    headCommit: text("head_commit"),
    pushedAt: timestamp("pushed_at", { withTimezone: true }),
    pullRequestUrl: text("pull_request_url"),
    /** A fork: the run and accepted task it was forked from (its branch starts at that task's commit). */
    forkedFromRunId: uuid("forked_from_run_id"),
    forkedFromTaskId: uuid("forked_from_task_id"),
    startedById: uuid("started_by_id").references(() => users.id, { onDelete: "set null" }),
    /** "Review the plan first": the run pauses after planning until a member starts it. */
    reviewPlan: boolean("review_plan").notNull().default(false),
    planApprovedAt: timestamp("plan_approved_at", { withTimezone: true }),
    planApprovedById: uuid("plan_approved_by_id").references(() => users.id, { onDelete: "set null" }),
    /** The API key that started it, when started through the API or MCP. */
    startedByApiKeyId: uuid("started_by_api_key_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("runs_org_project_idx").on(t.orgId, t.projectId, t.createdAt),
    index("runs_org_status_idx").on(t.orgId, t.status),
    uniqueIndex("runs_project_number_idx").on(t.projectId, t.number),
    tenantPolicy("runs"),
  ],
).enableRLS();

export const runTasks = pgTable(
  "run_tasks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    runId: uuid("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    phaseKey: text("phase_key").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    agentSlug: text("agent_slug").notNull(),
    priority: text("priority", { enum: TASK_PRIORITIES }).notNull().default("medium"),
    status: text("status", { enum: TASK_STATUSES }).notNull().default("todo"),
    statusReason: text("status_reason"),
    dependsOn: text("depends_on").array().notNull().default(sql`'{}'::text[]`),
    acceptanceCriteria: text("acceptance_criteria").array().notNull().default(sql`'{}'::text[]`),
    needsApproval: boolean("needs_approval").notNull().default(false),
    attempts: integer("attempts").notNull().default(0),
    position: integer("position").notNull().default(0),
    parentTaskId: uuid("parent_task_id"),
    /** The commit that merged this task's accepted work into the run branch. */
    commitSha: text("commit_sha"),
    /** Who works it: one of our agents, or an IDE agent (an external worker) through MCP. */
    worker: text("worker", { enum: TASK_WORKERS }).notNull().default("agent"),
    /** Notes people and IDE agents add to the task's context (read with the task over MCP). */
    context: text("context").notNull().default(""),
    /** The API key whose IDE agent claimed the task, when, and what it handed back. */
    claimedByApiKeyId: uuid("claimed_by_api_key_id"),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    externalCommit: text("external_commit"),
    externalSummary: text("external_summary"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("run_tasks_run_key_idx").on(t.runId, t.key),
    index("run_tasks_org_idx").on(t.orgId),
    tenantPolicy("run_tasks"),
  ],
).enableRLS();

/** Documents and code the agents write; each revision is a new row with the next version. */
export const artifacts = pgTable(
  "artifacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    runId: uuid("run_id").references(() => runs.id, { onDelete: "cascade" }),
    taskId: uuid("task_id").references(() => runTasks.id, { onDelete: "set null" }),
    /** Stable across versions: the first version's id. */
    artifactKey: uuid("artifact_key").notNull(),
    version: integer("version").notNull(),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    path: text("path"),
    language: text("language"),
    content: text("content").notNull(),
    summary: text("summary").notNull().default(""),
    agentSlug: text("agent_slug"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("artifacts_key_version_idx").on(t.artifactKey, t.version),
    index("artifacts_org_run_idx").on(t.orgId, t.runId),
    tenantPolicy("artifacts"),
  ],
).enableRLS();

/** The per-run event log every viewer replays and follows (lib/runs/events.ts). */
export const runEvents = pgTable(
  "run_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: tenantColumn(),
    runId: uuid("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    type: text("type").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("run_events_run_seq_idx").on(t.runId, t.seq),
    index("run_events_org_idx").on(t.orgId),
    tenantPolicy("run_events"),
  ],
).enableRLS();

export const approvals = pgTable(
  "approvals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    runId: uuid("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    taskId: uuid("task_id").references(() => runTasks.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    prompt: text("prompt").notNull(),
    status: text("status", { enum: APPROVAL_STATUSES }).notNull().default("pending"),
    comment: text("comment"),
    decidedById: uuid("decided_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
  },
  (t) => [index("approvals_org_run_idx").on(t.orgId, t.runId), tenantPolicy("approvals")],
).enableRLS();

/** One row per model call: what it cost and how long it took. */
export const modelCalls = pgTable(
  "model_calls",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    runId: uuid("run_id").references(() => runs.id, { onDelete: "cascade" }),
    taskId: uuid("task_id").references(() => runTasks.id, { onDelete: "set null" }),
    agentSlug: text("agent_slug").notNull(),
    provider: text("provider").notNull(),
    modelId: text("model_id").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    latencyMs: integer("latency_ms").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("model_calls_org_created_idx").on(t.orgId, t.createdAt), tenantPolicy("model_calls")],
).enableRLS();

/**
 * What each step of a run function committed, keyed by the function run and step id. A step body
 * that runs again (at-least-once: the process died before the executor stored its result) finds
 * its own result here, written in the same transaction as its effects, and returns it unchanged.
 */
export const runStepResults = pgTable(
  "run_step_results",
  {
    orgId: tenantColumn(),
    runId: uuid("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    result: jsonb("result").$type<unknown>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("run_step_results_run_key_idx").on(t.runId, t.key),
    index("run_step_results_org_idx").on(t.orgId),
    tenantPolicy("run_step_results"),
  ],
).enableRLS();

/**
 * Decided approvals whose `runs/approval.decided` event is not known to be sent. Written in the
 * deciding transaction; the event goes out after commit with a stable id, and a sweeper re-sends
 * rows a crash left unsent.
 */
export const approvalOutbox = pgTable(
  "approval_outbox",
  {
    approvalId: uuid("approval_id")
      .primaryKey()
      .references(() => approvals.id, { onDelete: "cascade" }),
    orgId: tenantColumn(),
    runId: uuid("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [index("approval_outbox_unsent_idx").on(t.sentAt), tenantPolicy("approval_outbox")],
).enableRLS();
