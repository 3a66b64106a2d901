import { z } from "zod";
import { PROJECT_BODY_MAX_BYTES } from "@/lib/projects/schemas";
import { pageOf } from "./pagination";
import type { V1RouteOptions } from "./route";
import * as s from "./schemas";

/**
 * Every /api/v1 operation: what the route checks (scope, body, query: passed to `v1Route` as is)
 * and what the OpenAPI document (lib/api/v1/openapi.ts) and the reference page say about it. A
 * route imports its operation from here, so the document cannot drift from what is enforced;
 * lib/api/v1/openapi.test.ts fails when a route file and this list disagree.
 */
export type V1Operation = V1RouteOptions & {
  operationId: string;
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI path, with `{param}` segments (the route folder `[param]`). */
  path: `/api/v1/${string}`;
  tag: V1Tag;
  summary: string;
  description?: string;
  params?: z.ZodObject;
  response: {
    status: 200 | 201;
    description: string;
    schema: z.ZodType;
    /** JSON unless said otherwise (the event stream). */
    contentType?: "application/json" | "text/event-stream";
  };
  /** Error statuses this operation can answer besides 401/403/429/500. */
  errors: readonly (400 | 404 | 409 | 413 | 415 | 422)[];
  /** An example body for the reference page's curl line. */
  example?: unknown;
};

export const V1_TAGS = ["Projects", "Runs", "Plan", "Tasks", "Artifacts", "Knowledge", "Usage"] as const;
export type V1Tag = (typeof V1_TAGS)[number];

const op = <O extends V1Operation>(o: O) => o;

const projectEnvelope = z.object({ project: s.projectDetail });

export const operations = {
  listProjects: op({
    operationId: "listProjects",
    method: "get",
    path: "/api/v1/projects",
    tag: "Projects",
    summary: "List projects",
    description: "The organization's projects, newest first, with cursor pagination.",
    scope: "projects.read",
    query: s.listProjectsQuery,
    response: { status: 200, description: "A page of projects.", schema: pageOf(s.project) },
    errors: [400, 422],
  }),
  createProject: op({
    operationId: "createProject",
    method: "post",
    path: "/api/v1/projects",
    tag: "Projects",
    summary: "Create a project",
    description:
      "Creates a project and its repository; the slug is suggested from the name when left out. Honours `Idempotency-Key`.",
    scope: "projects.write",
    body: s.createProjectBody,
    maxBytes: PROJECT_BODY_MAX_BYTES,
    idempotent: true,
    response: { status: 201, description: "The created project.", schema: projectEnvelope },
    errors: [400, 409, 413, 415, 422],
    example: { name: "Website", description: "The marketing site", brief: "Build a landing page." },
  }),
  getProject: op({
    operationId: "getProject",
    method: "get",
    path: "/api/v1/projects/{project}",
    tag: "Projects",
    summary: "Get a project",
    scope: "projects.read",
    params: s.projectParam,
    response: { status: 200, description: "The project.", schema: projectEnvelope },
    errors: [404],
  }),
  updateProject: op({
    operationId: "updateProject",
    method: "patch",
    path: "/api/v1/projects/{project}",
    tag: "Projects",
    summary: "Update a project",
    description: "Any of name, slug, description, brief. An archived project answers 409.",
    scope: "projects.write",
    params: s.projectParam,
    body: s.updateProjectBody,
    maxBytes: PROJECT_BODY_MAX_BYTES,
    response: { status: 200, description: "The updated project.", schema: projectEnvelope },
    errors: [400, 404, 409, 413, 415, 422],
    example: { description: "The new marketing site" },
  }),
  startRun: op({
    operationId: "startRun",
    method: "post",
    path: "/api/v1/projects/{project}/runs",
    tag: "Runs",
    summary: "Start a run",
    description:
      "Queues a run of the project towards `goal` with a run template. Send `Idempotency-Key` so a retried request returns the first run instead of starting a second (keys are kept 24 hours).",
    scope: "runs.start",
    params: s.projectParam,
    body: s.startRunBody,
    idempotent: true,
    response: { status: 201, description: "The queued run.", schema: z.object({ run: s.startedRun }) },
    errors: [400, 404, 409, 413, 415, 422],
    example: {
      goal: "Describe the architecture of the system.",
      template: "technical-architecture-overview",
    },
  }),
  listRuns: op({
    operationId: "listRuns",
    method: "get",
    path: "/api/v1/runs",
    tag: "Runs",
    summary: "List runs",
    description: "The organization's runs, newest first, optionally of one project and one status.",
    scope: "runs.read",
    query: s.listRunsQuery,
    response: { status: 200, description: "A page of runs.", schema: pageOf(s.runSummary) },
    errors: [400, 404, 422],
  }),
  getRun: op({
    operationId: "getRun",
    method: "get",
    path: "/api/v1/runs/{run}",
    tag: "Runs",
    summary: "Get a run",
    description: "The run with its project and approvals (tasks and artifacts have their own endpoints).",
    scope: "runs.read",
    params: s.runParam,
    response: { status: 200, description: "The run.", schema: s.runDetail },
    errors: [404],
  }),
  cancelRun: op({
    operationId: "cancelRun",
    method: "post",
    path: "/api/v1/runs/{run}/cancel",
    tag: "Runs",
    summary: "Cancel a run",
    scope: "runs.start",
    params: s.runParam,
    response: { status: 200, description: "The run, cancelled.", schema: s.cancelledRun },
    errors: [404, 409],
  }),
  decideApproval: op({
    operationId: "decideApproval",
    method: "post",
    path: "/api/v1/runs/{run}/approvals/{approval}",
    tag: "Runs",
    summary: "Approve or reject a gate",
    description: "Decides a pending approval of the run; a comment is required to reject.",
    scope: "runs.approve",
    params: s.runApprovalParams,
    body: s.decideApprovalBody,
    response: { status: 200, description: "The decision.", schema: s.decidedApproval },
    errors: [400, 404, 409, 415, 422],
    example: { decision: "approve", comment: "Looks good." },
  }),
  streamRunEvents: op({
    operationId: "streamRunEvents",
    method: "get",
    path: "/api/v1/runs/{run}/events",
    tag: "Runs",
    summary: "Stream a run's events (SSE)",
    description:
      'Server-Sent Events, the stream the dashboard reads: `data: {"type":"start"}`, then each stored event after the resume point (`?after=` or `Last-Event-ID`) as `id: <seq>` + `data: {"type":"data-run-event","id":"<seq>","data":<event>}`, live events as they happen, `: ping` heartbeats, and `data: {"type":"finish"}` + `data: [DONE]` once the run is final.',
    scope: "runs.read",
    params: s.runParam,
    query: s.eventsQuery,
    response: {
      status: 200,
      description: "An event stream.",
      schema: z.string(),
      contentType: "text/event-stream",
    },
    errors: [404],
  }),
  listRunTasks: op({
    operationId: "listRunTasks",
    method: "get",
    path: "/api/v1/runs/{run}/tasks",
    tag: "Tasks",
    summary: "List a run's tasks",
    description: "Every task of the run's plan, in plan order (not paginated: a plan is bounded).",
    scope: "runs.read",
    params: s.runParam,
    response: { status: 200, description: "The tasks.", schema: s.taskList },
    errors: [404],
  }),
  getRunTask: op({
    operationId: "getRunTask",
    method: "get",
    path: "/api/v1/runs/{run}/tasks/{task}",
    tag: "Tasks",
    summary: "Get a task",
    scope: "runs.read",
    params: s.runTaskParams,
    response: { status: 200, description: "The task.", schema: z.object({ task: s.task }) },
    errors: [404],
  }),
  updateProjectContext: op({
    operationId: "updateProjectContext",
    method: "put",
    path: "/api/v1/projects/{project}/context",
    tag: "Projects",
    summary: "Replace a project's context",
    description:
      "The shared context (conventions, decisions) our agents and IDE agents read; replaces the whole text.",
    scope: "projects.write",
    params: s.projectParam,
    body: s.contextBody,
    response: { status: 200, description: "The new context.", schema: s.projectContext },
    errors: [400, 404, 413, 415, 422],
    example: { context: "Use the design tokens in styles/tokens.css." },
  }),
  addRunTask: op({
    operationId: "addRunTask",
    method: "post",
    path: "/api/v1/runs/{run}/tasks",
    tag: "Plan",
    summary: "Add a task to the plan",
    description:
      "Adds a task to a run that is not finished, validated like the orchestrator's plan (unknown agents, dependencies, cycles). `key` is made from the title when left out; `phaseName` opens a new phase.",
    scope: "runs.start",
    params: s.runParam,
    body: s.addTaskBody,
    response: { status: 201, description: "The added task.", schema: z.object({ task: s.task }) },
    errors: [400, 404, 409, 413, 415, 422],
    example: {
      title: "Write the release notes",
      description: "Summarize the changes for users.",
      agentSlug: "documentation-writer",
      phaseKey: "build",
      dependsOn: [],
      acceptanceCriteria: ["Lists every user-visible change"],
    },
  }),
  updateRunTask: op({
    operationId: "updateRunTask",
    method: "patch",
    path: "/api/v1/runs/{run}/tasks/{task}",
    tag: "Plan",
    summary: "Change a task that has not started",
    description:
      "Any of title, description, agent, phase, dependencies, acceptance criteria, priority, worker.",
    scope: "runs.start",
    params: s.runTaskParams,
    body: s.updateTaskBody,
    response: { status: 200, description: "The changed task.", schema: z.object({ task: s.task }) },
    errors: [400, 404, 409, 413, 415, 422],
    example: {
      priority: "high",
      acceptanceCriteria: ["Lists every user-visible change", "Links each issue"],
    },
  }),
  removeRunTask: op({
    operationId: "removeRunTask",
    method: "delete",
    path: "/api/v1/runs/{run}/tasks/{task}",
    tag: "Plan",
    summary: "Remove a task that has not started",
    description: "Refused (422) while another task depends on it.",
    scope: "runs.start",
    params: s.runTaskParams,
    response: { status: 200, description: "The task was removed.", schema: s.removedTask },
    errors: [404, 409, 422],
  }),
  reorderRunTasks: op({
    operationId: "reorderRunTasks",
    method: "post",
    path: "/api/v1/runs/{run}/plan/reorder",
    tag: "Plan",
    summary: "Re-order tasks that have not started",
    description: "The keys of unstarted tasks (all or some) in the wanted order.",
    scope: "runs.start",
    params: s.runParam,
    body: s.reorderTasksBody,
    response: { status: 200, description: "The new order.", schema: s.reorderedTasks },
    errors: [400, 404, 409, 415, 422],
    example: { keys: ["write-the-release-notes", "design-the-api"] },
  }),
  approveRunPlan: op({
    operationId: "approveRunPlan",
    method: "post",
    path: "/api/v1/runs/{run}/plan/approve",
    tag: "Plan",
    summary: "Approve a reviewed plan",
    description:
      'Starts the work of a run started with `reviewPlan: true` ("review the plan first"), paused after planning.',
    scope: "runs.start",
    params: s.runParam,
    response: { status: 200, description: "The plan is approved.", schema: s.approvedPlan },
    errors: [404, 409],
  }),
  updateTaskContext: op({
    operationId: "updateTaskContext",
    method: "put",
    path: "/api/v1/runs/{run}/tasks/{task}/context",
    tag: "Tasks",
    summary: "Replace a task's context",
    description: "Notes the agent (ours or an IDE agent) reads with the task; replaces the whole text.",
    scope: "runs.start",
    params: s.runTaskParams,
    body: s.contextBody,
    response: { status: 200, description: "The new context.", schema: s.taskContext },
    errors: [400, 404, 409, 413, 415, 422],
    example: { context: "The API is versioned under /api/v1; keep it that way." },
  }),
  listRunArtifacts: op({
    operationId: "listRunArtifacts",
    method: "get",
    path: "/api/v1/runs/{run}/artifacts",
    tag: "Artifacts",
    summary: "List a run's artifacts",
    description: "The documents and code the run's agents wrote, with their versions (without contents).",
    scope: "projects.read",
    params: s.runParam,
    response: { status: 200, description: "The artifacts.", schema: s.artifactList },
    errors: [404],
  }),
  getArtifactVersion: op({
    operationId: "getArtifactVersion",
    method: "get",
    path: "/api/v1/artifacts/{artifactKey}/versions/{version}",
    tag: "Artifacts",
    summary: "Get an artifact version",
    description: "One version of an artifact, with its content.",
    scope: "projects.read",
    params: s.artifactVersionParams,
    response: { status: 200, description: "The version.", schema: z.object({ artifact: s.artifactVersion }) },
    errors: [404],
  }),
  searchKnowledge: op({
    operationId: "searchKnowledge",
    method: "get",
    path: "/api/v1/knowledge/search",
    tag: "Knowledge",
    summary: "Search the knowledge base",
    description:
      "Hybrid search (full text, trigram and, with an embedding model, vectors, fused by reciprocal rank) of the organization's documents, insights and run outcomes, or of a project's and the organization's; cited passages, best first.",
    scope: "knowledge.read",
    query: s.knowledgeSearchQuery,
    response: { status: 200, description: "The cited passages.", schema: s.knowledgeSearchResult },
    errors: [404, 422],
  }),
  getUsage: op({
    operationId: "getUsage",
    method: "get",
    path: "/api/v1/usage",
    tag: "Usage",
    summary: "Model usage by period",
    description: `Tokens, cost and model calls per UTC day or month between two days (inclusive, at most ${s.USAGE_MAX_DAYS} days).`,
    scope: "runs.read",
    query: s.usageQuery,
    response: { status: 200, description: "The usage report.", schema: s.usageReport },
    errors: [422],
  }),
} as const satisfies Record<string, V1Operation>;

export type V1OperationId = keyof typeof operations;

/** Every operation, in the order above. */
export const OPERATIONS: readonly V1Operation[] = Object.values(operations);

/** The public document itself (GET /api/v1/openapi.json, no key). */
export const OPENAPI_PATH = "/api/v1/openapi.json";
