import { z } from "zod";
import { KNOWLEDGE_SOURCES } from "@/db/schema/knowledge";
import { APPROVAL_STATUSES, TASK_WORKERS } from "@/db/schema/runs";
import { searchParamsSchema } from "@/lib/knowledge/search-params";
import { createProjectSchema, updateProjectSchema } from "@/lib/projects/schemas";
import { RUN_STATUSES } from "@/lib/runs/events";
import { TASK_PRIORITIES } from "@/lib/runs/plan";
import {
  addRunTaskSchema,
  contextSchema,
  reorderRunTasksSchema,
  updateRunTaskSchema,
} from "@/lib/runs/plan-edit/schemas";
import { TASK_STATUSES } from "@/lib/runs/schedule";
import { RUN_LIMITS, startRunBodySchema } from "@/lib/runs/schemas";
import { paginationQuery } from "./pagination";

/**
 * The zod schemas of /api/v1: request schemas validate in the routes (lib/api/v1/route.ts) and,
 * with the response schemas, render the OpenAPI document (lib/api/v1/openapi.ts). Request bodies
 * reuse the session API's schemas, so both APIs accept the same input.
 */

const isoDate = z.string().meta({ format: "date-time", example: "2026-12-04T12:00:00.000Z" });
const uuid = z.string().meta({ format: "uuid" });

// ---- path parameters ----
export const projectParam = z.object({
  project: z.string().meta({
    description: "The project's id (a UUID) or its slug. A UUID-shaped value is read as an id.",
    example: "website",
  }),
});
export const runParam = z.object({ run: uuid.meta({ description: "The run's id." }) });
export const runTaskParams = runParam.extend({
  task: z.string().meta({ description: "The task's id (a UUID) or its key in the plan (e.g. `t1`)." }),
});
export const runApprovalParams = runParam.extend({
  approval: uuid.meta({ description: "The approval's id." }),
});
export const artifactVersionParams = z.object({
  artifactKey: uuid.meta({
    description: "The artifact's stable key (the `id` of an artifact in a run's list).",
  }),
  version: z.string().meta({ description: "The version number, from 1.", example: "1" }),
});

// ---- projects ----
export const project = z
  .object({
    id: uuid,
    name: z.string(),
    slug: z.string(),
    description: z.string(),
    status: z.enum(["active", "archived"]),
    createdAt: isoDate,
    updatedAt: isoDate,
    archivedAt: isoDate.nullable(),
  })
  .meta({ id: "Project" });

export const projectDetail = project
  .extend({
    brief: z.string(),
    createdBy: z.object({ id: uuid, name: z.string().nullable(), email: z.string() }).nullable(),
  })
  .meta({ id: "ProjectDetail" });

export const listProjectsQuery = paginationQuery.extend({
  status: z
    .preprocess(
      (v) => (v === "" ? undefined : v),
      z.enum(["active", "archived"], { error: "Status must be active or archived." }).optional(),
    )
    .meta({ description: "Only projects with this status (default: active)." }),
});

export const createProjectBody = createProjectSchema.meta({ id: "CreateProject" });
export const updateProjectBody = updateProjectSchema.meta({ id: "UpdateProject" });

// ---- runs ----
export const runStatus = z.enum(RUN_STATUSES).meta({ id: "RunStatus" });

export const runSummary = z
  .object({
    id: uuid,
    projectId: uuid,
    projectSlug: z.string(),
    number: z.number().int().nullable(),
    goal: z.string(),
    templateSlug: z.string(),
    status: runStatus,
    statusReason: z.string().nullable(),
    tokenBudget: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: z.number(),
    branch: z.string().nullable(),
    createdAt: isoDate,
    startedAt: isoDate.nullable(),
    finishedAt: isoDate.nullable(),
  })
  .meta({ id: "RunSummary" });

export const listRunsQuery = paginationQuery.extend({
  project: z
    .preprocess((v) => (v === "" ? undefined : v), z.string().max(64, "Unknown project.").optional())
    .meta({ description: "Only runs of this project (id or slug)." }),
  status: z
    .preprocess(
      (v) => (v === "" ? undefined : v),
      z.enum(RUN_STATUSES, { error: `Status must be one of ${RUN_STATUSES.join(", ")}.` }).optional(),
    )
    .meta({ description: "Only runs with this status." }),
});

export const startRunBody = startRunBodySchema.meta({ id: "StartRun" });

export const startedRun = z
  .object({
    id: uuid,
    status: z.literal("queued"),
    tokenBudget: z.number().int(),
    usesDemoModel: z.boolean(),
    modelLabel: z.string(),
  })
  .meta({ id: "StartedRun" });

export const approval = z
  .object({
    id: uuid,
    taskId: uuid.nullable(),
    title: z.string(),
    prompt: z.string(),
    status: z.enum(APPROVAL_STATUSES),
    comment: z.string().nullable(),
    decidedBy: z.string().nullable(),
    createdAt: isoDate,
    decidedAt: isoDate.nullable(),
    expiresAt: isoDate.nullable(),
  })
  .meta({ id: "Approval" });

export const runDetail = z
  .object({
    run: runSummary.extend({
      agentVersions: z.record(z.string(), z.number().int()),
      modelLabel: z.string().nullable(),
      usesDemoModel: z.boolean(),
      summaryArtifactId: uuid.nullable(),
      startedBy: z.string().nullable(),
      baseCommit: z.string().nullable(),
      headCommit: z.string().nullable(),
      pushedAt: isoDate.nullable(),
      pullRequestUrl: z.string().nullable(),
      forkedFromRunId: uuid.nullable(),
      reviewPlan: z.boolean().meta({ description: 'Started with "review the plan first".' }),
      planApprovedAt: isoDate.nullable(),
    }),
    project: z.object({ id: uuid, slug: z.string(), name: z.string() }),
    approvals: z.array(approval),
  })
  .meta({ id: "RunDetail" });

export const cancelledRun = z.object({ run: z.object({ id: uuid, status: runStatus }).loose() });

const decision = z.enum(["approve", "reject"], { message: "Choose approve or reject." });
export const decideApprovalBody = z
  .object({
    decision,
    comment: z
      .preprocess(
        (v) => (v === undefined || v === null ? "" : v),
        z
          .string({ message: "The comment must be text." })
          .trim()
          .max(RUN_LIMITS.comment, `The comment must be at most ${RUN_LIMITS.comment} characters.`),
      )
      .meta({ description: "Required to reject." }),
  })
  .superRefine((v, ctx) => {
    if (v.decision === "reject" && v.comment === "") {
      ctx.addIssue({
        code: "custom",
        path: ["comment"],
        message: "Say why you reject it: the comment is required.",
      });
    }
  })
  .meta({ id: "DecideApproval" });

export const decidedApproval = z.object({
  approval: z.object({ id: uuid, status: z.enum(["approved", "rejected"]) }),
});

// ---- tasks ----
export const task = z
  .object({
    id: uuid,
    runId: uuid,
    key: z.string(),
    phaseKey: z.string(),
    title: z.string(),
    description: z.string(),
    agentSlug: z.string(),
    priority: z.enum(TASK_PRIORITIES),
    status: z.enum(TASK_STATUSES),
    statusReason: z.string().nullable(),
    dependsOn: z.array(z.string()),
    acceptanceCriteria: z.array(z.string()),
    needsApproval: z.boolean(),
    attempts: z.number().int(),
    position: z.number().int(),
    worker: z.enum(TASK_WORKERS),
    context: z.string(),
    commitSha: z.string().nullable(),
    startedAt: isoDate.nullable(),
    finishedAt: isoDate.nullable(),
  })
  .meta({ id: "Task" });

export const taskList = z.object({ data: z.array(task) });

// ---- plan edits (lib/runs/plan-edit: the task board and MCP use the same schemas) ----
export const addTaskBody = addRunTaskSchema.meta({ id: "AddTask" });
export const updateTaskBody = updateRunTaskSchema.meta({ id: "UpdateTask" });
export const reorderTasksBody = reorderRunTasksSchema.meta({ id: "ReorderTasks" });
export const contextBody = contextSchema.meta({ id: "Context" });
export const removedTask = z.object({ key: z.string(), removed: z.literal(true) });
export const reorderedTasks = z.object({ keys: z.array(z.string()) });
export const approvedPlan = z.object({ run: z.object({ id: uuid, planApprovedAt: isoDate }) });
export const taskContext = z.object({ task: z.object({ key: z.string(), context: z.string() }) });
export const projectContext = z.object({
  project: z.object({ id: uuid, slug: z.string(), context: z.string() }),
});

// ---- artifacts ----
export const artifact = z
  .object({
    id: uuid.meta({ description: "The artifact's stable key across versions." }),
    kind: z.string(),
    title: z.string(),
    path: z.string().nullable(),
    language: z.string().nullable(),
    taskId: uuid.nullable(),
    agentSlug: z.string().nullable(),
    latestVersion: z.number().int(),
    versions: z.array(z.object({ version: z.number().int(), summary: z.string(), createdAt: isoDate })),
  })
  .meta({ id: "Artifact" });

export const artifactList = z.object({ data: z.array(artifact) });

export const artifactVersion = z
  .object({
    artifactKey: uuid,
    runId: uuid.nullable(),
    projectId: uuid,
    version: z.number().int(),
    kind: z.string(),
    title: z.string(),
    path: z.string().nullable(),
    language: z.string().nullable(),
    content: z.string(),
    summary: z.string(),
    createdAt: isoDate,
  })
  .meta({ id: "ArtifactVersion" });

// ---- events ----
export const eventsQuery = z.object({
  after: z.string().optional().meta({
    description: "Resume after this event sequence number (the `Last-Event-ID` header also works).",
  }),
});

// ---- usage ----
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date as YYYY-MM-DD.");
export const USAGE_MAX_DAYS = 366;
export const usageQuery = z
  .object({
    from: z
      .preprocess((v) => (v === "" ? undefined : v), day.optional())
      .meta({ description: "First day (UTC, YYYY-MM-DD), inclusive. Default: 29 days before `to`." }),
    to: z
      .preprocess((v) => (v === "" ? undefined : v), day.optional())
      .meta({ description: "Last day (UTC, YYYY-MM-DD), inclusive. Default: today." }),
    groupBy: z
      .preprocess(
        (v) => (v === "" ? undefined : v),
        z.enum(["day", "month"], { error: "Group by day or month." }).default("day"),
      )
      .meta({ description: "Period of each bucket." }),
  })
  .superRefine((v, ctx) => {
    for (const k of ["from", "to"] as const) {
      const value = v[k];
      if (value && Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
        ctx.addIssue({ code: "custom", path: [k], message: "That is not a valid date." });
      }
    }
  });

const usageNumbers = {
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
  calls: z.number().int(),
};
export const usageReport = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(["day", "month"]),
    periods: z.array(z.object({ period: z.string().meta({ example: "2026-12-04" }), ...usageNumbers })),
    totals: z.object(usageNumbers),
  })
  .meta({ id: "UsageReport" });

// ---- knowledge ----
export const knowledgeSearchQuery = searchParamsSchema.extend({
  project: searchParamsSchema.shape.project.meta({
    description:
      "Search this project's knowledge and the organization's (id or slug); absent: the organization's own only.",
  }),
});
const knowledgeHit = z
  .object({
    chunkId: uuid,
    documentId: uuid,
    title: z.string(),
    source: z.enum(KNOWLEDGE_SOURCES),
    projectId: uuid.nullable(),
    version: z.number().int(),
    ordinal: z.number().int(),
    heading: z.string(),
    content: z.string(),
    snippet: z.string().meta({ description: "The passage around the matches, matched words wrapped in «»." }),
    startLine: z.number().int(),
    endLine: z.number().int(),
    page: z.number().int().nullable(),
    score: z.number().meta({ description: "Reciprocal-rank-fusion score (higher is better)." }),
    ranks: z.object({
      text: z.number().int().optional(),
      trigram: z.number().int().optional(),
      vector: z.number().int().optional(),
    }),
    citation: z.string().meta({ example: "Deployment guide › Rollback, lines 12–30 (v2)" }),
    runId: uuid.nullable(),
    agentSlug: z.string().nullable(),
  })
  .meta({ id: "KnowledgeHit" });
export const knowledgeSearchResult = z
  .object({
    hits: z.array(knowledgeHit),
    mode: z.enum(["hybrid", "text"]).meta({
      description: "`hybrid` when vector similarity took part; `text` (full text and trigram) otherwise.",
    }),
    note: z.string().optional().meta({ description: "Why vectors did not take part." }),
  })
  .meta({ id: "KnowledgeSearchResult" });

// ---- errors ----
export const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "validation" }),
      message: z.string(),
      fields: z
        .record(z.string(), z.array(z.string()))
        .meta({ description: "Messages per invalid field (empty when the error is not about a field)." }),
    }),
  })
  .meta({ id: "Error" });
