import "server-only";
import { z } from "zod";
import { notFound } from "@/lib/errors";
import { FINAL_RUN_STATUSES } from "@/lib/runs/events";
import { getRunDetail, listProjectRuns, listRecentRuns } from "@/lib/runs/queries";
import { RUN_LIMITS, startRunBodySchema } from "@/lib/runs/schemas";
import { startRun } from "@/lib/runs/start-run";
import { RUN_TEMPLATE_SLUGS } from "@/lib/runs/templates";
import { defineTool } from "../define-tool";
import { projectInput, runInput } from "../inputs";
import { runStatus } from "../present";

export const listRunsTool = defineTool({
  name: "list_runs",
  title: "List runs",
  description:
    "Lists recent runs, newest first: of one project, or across the organization. Set `active` to leave out finished runs.",
  permission: "runs.read",
  readOnly: true,
  input: {
    project: projectInput.optional(),
    active: z.boolean().optional().describe("Only runs that have not finished."),
    limit: z.number().int().min(1).max(RUN_LIMITS.listMax).optional().describe("At most this many (20)."),
  },
  run: async (ctx, input) => {
    const limit = input.limit ?? 20;
    const runs = input.project
      ? await listProjectRuns(ctx, input.project, { limit })
      : await listRecentRuns(ctx, { limit });
    return {
      runs: input.active ? runs.filter((r) => !FINAL_RUN_STATUSES.includes(r.status)) : runs,
    };
  },
});

export const startRunTool = defineTool({
  name: "start_run",
  title: "Start a run",
  description:
    "Starts a run of the agent swarm on a project's goal. It is queued, then planned and worked; follow it with get_run_status.",
  permission: "runs.start",
  readOnly: false,
  input: {
    project: projectInput,
    goal: z
      .string()
      .max(RUN_LIMITS.goalMax)
      .describe("What the run should deliver (at least 10 characters)."),
    template: z
      .enum(RUN_TEMPLATE_SLUGS)
      .optional()
      .describe("The run template (default `feature-build`, a change on existing code)."),
    tokenBudget: z
      .number()
      .int()
      .min(RUN_LIMITS.budgetMin)
      .max(RUN_LIMITS.budgetMax)
      .optional()
      .describe("Token budget; the organization's default when left out."),
    reviewPlan: z
      .boolean()
      .optional()
      .describe("Pause after planning until the plan is approved (approve_run_plan, or a member)."),
  },
  run: async (ctx, input) => {
    const body = startRunBodySchema.parse({
      goal: input.goal,
      template: input.template ?? "feature-build",
      tokenBudget: input.tokenBudget,
      reviewPlan: input.reviewPlan ?? false,
    });
    return { run: await startRun(ctx, input.project, body) };
  },
});

export const getRunStatusTool = defineTool({
  name: "get_run_status",
  title: "Get a run's status",
  description:
    "Reads a run's status: its current phase, task counts by status, tokens and cost so far, and the approvals waiting on a person.",
  permission: "runs.read",
  readOnly: true,
  input: { run: runInput },
  run: async (ctx, input) => runStatus(await getRunDetail(ctx, input.run)),
});

/** Artifacts are read with `projects.read`, as the REST API's artifact routes. */
export const listRunArtifactsTool = defineTool({
  name: "list_run_artifacts",
  title: "List a run's artifacts",
  description:
    "Lists the documents and code a run's agents wrote (latest version's title and summary); read one with get_artifact.",
  permission: "projects.read",
  readOnly: true,
  input: { run: runInput },
  run: async (ctx, input) => {
    const detail = await getRunDetail(ctx, input.run);
    const keyOf = new Map(detail.tasks.map((t) => [t.id, t.key]));
    return {
      artifacts: detail.artifacts.map((a) => {
        const latest = a.versions.at(-1);
        return {
          id: a.id,
          kind: a.kind,
          title: a.title,
          path: a.path,
          language: a.language,
          task: a.taskId ? (keyOf.get(a.taskId) ?? null) : null,
          agent: a.agentSlug,
          version: latest?.version ?? 1,
          versions: a.versions.map((v) => v.version),
          summary: latest?.summary ?? "",
          updatedAt: latest?.createdAt ?? null,
        };
      }),
    };
  },
});

export const getArtifactTool = defineTool({
  name: "get_artifact",
  title: "Get an artifact",
  description: "Reads one artifact of a run in full: its latest version, or the version asked for.",
  permission: "projects.read",
  readOnly: true,
  input: {
    run: runInput,
    artifact: z.string().trim().min(1).max(100).describe("The artifact's id (from list_run_artifacts)."),
    version: z.number().int().positive().optional().describe("A version number; the latest when left out."),
  },
  run: async (ctx, input) => {
    const detail = await getRunDetail(ctx, input.run);
    const artifact = detail.artifacts.find((a) => a.id === input.artifact);
    if (!artifact) throw notFound("Artifact not found.");
    const version = input.version
      ? artifact.versions.find((v) => v.version === input.version)
      : artifact.versions.at(-1);
    if (!version) throw notFound("That version of the artifact does not exist.");
    const { versions, ...rest } = artifact;
    return {
      artifact: { ...rest, versions: versions.map((v) => v.version), ...version },
    };
  },
});
