import { orgRoute } from "@/lib/api/route";
import { resumeRun } from "@/lib/runs/resume-run";
import { resumeRunBodySchema } from "@/lib/runs/schemas";

/** Resumes a budget-exhausted run: `{ tokenBudget }`, more than the tokens already used. */
export const POST = orgRoute(
  { permission: "runs.start", body: resumeRunBodySchema },
  async ({ ctx, params, body }) => ({
    run: await resumeRun(ctx, params.run ?? "", body),
  }),
);
