import { type EngineContext, logAfterCommit } from "./context";
import { createRun } from "./run-lifecycle";
import * as store from "./store";
import { ulid } from "./time";
import { lockRun } from "./transaction";

/** Timers (a sleep's end, a wait's or an invoke's timeout) and cron schedules firing. */

export const cronKey = (fnId: string, source: string) => `cron:${fnId}:${source}`;

export async function processTimer(ctx: EngineContext, job: store.JobRow) {
  const runId = job.run_id as string;
  await ctx.write(async (tx) => {
    await lockRun(tx, runId);
    if (!(await store.lockOwnedJob(tx, job.id, job.claim))) return;
    const step = {
      runId,
      hashedId: job.step_id,
      stepId: job.step_id,
      name: job.step_id,
      op: job.kind,
      attempt: 0,
    };
    const stored =
      job.kind === "invoke_timeout"
        ? await store.storeStepResult(tx, {
            ...step,
            op: "invoke",
            error: {
              name: "InngestInvokeTimeoutError",
              message: "Timed out waiting for invoked function to complete",
            },
          })
        : await store.storeStepResult(tx, { ...step, output: "null" });
    await store.deleteJob(tx, job.id);
    if (stored) await store.requestDiscovery(tx, runId);
    logAfterCommit(ctx, tx, "info", {
      msg: job.kind === "sleep" ? "step.woke" : `step.${job.kind}`,
      runId,
      hashedId: job.step_id,
    });
  });
}

export async function processCron(ctx: EngineContext, job: store.JobRow) {
  await ctx.write(async (tx) => {
    if (!(await store.lockOwnedJob(tx, job.id, job.claim))) return;
    const fn = ctx.registry().functions.get(job.function_id);
    const schedule = fn?.crons.find((c) => job.key === cronKey(fn.id, c.source));
    if (!fn || !schedule) {
      await store.deleteJob(tx, job.id);
      return;
    }
    const event = {
      name: "inngest/scheduled.timer",
      data: { cron: schedule.source },
      id: ulid(),
      ts: Date.now(),
    };
    await createRun(ctx, tx, fn, event);
    await store.rescheduleJob(tx, job.id, schedule.next(new Date()).getTime());
  });
}
