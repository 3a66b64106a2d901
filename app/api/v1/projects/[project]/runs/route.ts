import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { projectSlugOf } from "@/lib/projects/project-ref";
import { startRun } from "@/lib/runs/start-run";

export const POST = v1Route(operations.startRun, async ({ ctx, params, body }) =>
  Response.json(
    { run: await startRun(ctx, await projectSlugOf(ctx, params.project ?? ""), body) },
    { status: 201 },
  ),
);
