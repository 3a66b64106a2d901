import { orgRoute } from "@/lib/api/route";
import { listProjectRuns } from "@/lib/runs/queries";
import { listRunsQuerySchema, startRunBodySchema } from "@/lib/runs/schemas";
import { startRun } from "@/lib/runs/start-run";

/** The project's runs, newest first (`?limit=`, at most 100). */
export const GET = orgRoute(
  { permission: "runs.read", query: listRunsQuerySchema },
  async ({ ctx, params, query }) => ({
    runs: await listProjectRuns(ctx, params.project ?? "", { limit: query.limit }),
  }),
);

/** Starts a run: `{ goal, template, tokenBudget? }` → 201 with the queued run. */
export const POST = orgRoute(
  { permission: "runs.start", body: startRunBodySchema },
  async ({ ctx, params, body }) =>
    Response.json({ run: await startRun(ctx, params.project ?? "", body) }, { status: 201 }),
);
