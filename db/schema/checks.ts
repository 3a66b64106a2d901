import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
// The domain's words are defined once in lib/checks (a pure module).
import {
  CHECK_KINDS,
  CHECK_SCOPES,
  CHECK_STATUSES,
  type CheckCounts,
  SANDBOX_DRIVER_NAMES,
} from "../../lib/checks/kinds";
import { tenantColumn, tenantPolicy } from "./organizations";
import { projects } from "./projects";
import { runs, runTasks } from "./runs";

/**
 * One of a project's commands run in the sandbox on a commit: an agent's `run_checks`, the gate on
 * an attempt's commit, the run branch after the last task, or the default branch. `stepKey` is the
 * durable step that recorded it: a step run again finds its row, so one attempt never holds two
 * results for one command.
 */
export const checks = pgTable(
  "checks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    runId: uuid("run_id").references(() => runs.id, { onDelete: "cascade" }),
    taskId: uuid("task_id").references(() => runTasks.id, { onDelete: "set null" }),
    /** The task's attempt the check belongs to (task and agent scopes). */
    attempt: integer("attempt"),
    scope: text("scope", { enum: CHECK_SCOPES }).notNull(),
    branch: text("branch").notNull(),
    /** The commit checked (for an agent's run_checks: the snapshot its call left, when known). */
    commitSha: text("commit_sha"),
    kind: text("kind", { enum: CHECK_KINDS }).notNull(),
    command: text("command").notNull(),
    status: text("status", { enum: CHECK_STATUSES }).notNull(),
    exitCode: integer("exit_code"),
    durationMs: integer("duration_ms").notNull().default(0),
    counts: jsonb("counts").$type<CheckCounts>(),
    /** The output, head and tail kept when it passed the output limit. */
    log: text("log").notNull().default(""),
    outputBytes: integer("output_bytes").notNull().default(0),
    truncated: boolean("truncated").notNull().default(false),
    driver: text("driver", { enum: SANDBOX_DRIVER_NAMES }).notNull(),
    network: boolean("network").notNull().default(false),
    /** Why it failed or was skipped, in words (killed at the wall-time limit, no sandbox, …). */
    reason: text("reason"),
    /** CPU time and peak memory, when the driver measures them. */
    cpuMs: integer("cpu_ms"),
    maxRssKb: integer("max_rss_kb"),
    stepKey: text("step_key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("checks_step_kind_idx").on(t.orgId, t.stepKey, t.kind),
    index("checks_org_run_idx").on(t.orgId, t.runId, t.createdAt),
    index("checks_org_project_branch_idx").on(t.orgId, t.projectId, t.branch, t.createdAt),
    tenantPolicy("checks"),
  ],
).enableRLS();
