import "server-only";
import { and, eq } from "drizzle-orm";
import { runs } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { appendRunEvents } from "./event-log";
import { findRunRow } from "./queries";
import { requestOrFail } from "./start-run";

/** Resumes a run that ran out of budget with a larger one; it continues where it stopped. */
export async function resumeRun(
  ctx: OrgContext,
  runId: string,
  input: { tokenBudget: number },
): Promise<{ id: string; status: "queued"; tokenBudget: number }> {
  await ctx.tx(async (tx) => {
    const run = await findRunRow(tx, ctx.org.id, runId, { forUpdate: true });
    if (run.status !== "budget_exhausted") {
      throw new AppError("conflict", "Only a run that ran out of budget can be resumed.");
    }
    const used = run.inputTokens + run.outputTokens;
    if (input.tokenBudget <= used) {
      const message = `The new budget must be more than the ${used.toLocaleString("en-US")} tokens already used.`;
      throw new AppError("validation", "Some fields are invalid.", {
        fieldErrors: { tokenBudget: [message] },
      });
    }
    await tx
      .update(runs)
      .set({ status: "queued", statusReason: null, finishedAt: null, tokenBudget: input.tokenBudget })
      .where(and(eq(runs.orgId, ctx.org.id), eq(runs.id, run.id)));
    await appendRunEvents(tx, { orgId: ctx.org.id, runId: run.id }, [
      {
        type: "run.status",
        status: "queued",
        reason: `Resumed with a budget of ${input.tokenBudget.toLocaleString("en-US")} tokens.`,
      },
    ]);
    await ctx.audit(tx, {
      action: "run.resume",
      target: { type: "run", id: run.id },
      metadata: { previousBudget: run.tokenBudget, tokenBudget: input.tokenBudget, tokensUsed: used },
    });
  });
  await requestOrFail({ orgId: ctx.org.id, runId });
  return { id: runId, status: "queued", tokenBudget: input.tokenBudget };
}
