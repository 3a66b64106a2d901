import { orgRoute } from "@/lib/api/route";
import { forkRun, forkRunBodySchema } from "@/lib/runs/fork-run";

/** Forks a run at an accepted task: `{ taskId, agentSlug? }`; the new run starts at that task's commit. */
export const POST = orgRoute(
  { permission: "runs.start", body: forkRunBodySchema },
  async ({ ctx, params, body }) => ({
    run: await forkRun(ctx, params.project ?? "", params.run ?? "", body),
  }),
);
