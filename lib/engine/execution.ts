import { applyOutcome } from "./apply-outcome";
import type { EngineContext } from "./context";
import { finish } from "./run-lifecycle";
import { callFunction } from "./sdk-call";
import * as store from "./store";
import { processCron, processTimer } from "./timers";
import { lockRun, serializeError } from "./transaction";
import type { StepState } from "./transport";

/** Runs one claimed job: drives the SDK for a discovery or a planned step, or fires a timer. */

/** Jobs (and SDK calls) a discovery may chain in one claim before going back to the queue. */
const CONTINUE_BUDGET = 50;

export async function processJob(ctx: EngineContext, job: store.JobRow) {
  try {
    if (job.kind === "discover" || job.kind === "step") await processExecution(ctx, job);
    else if (job.kind === "cron") await processCron(ctx, job);
    else await processTimer(ctx, job);
  } catch (error) {
    ctx.log("error", {
      msg: "job.error",
      jobId: job.id,
      kind: job.kind,
      runId: job.run_id ?? undefined,
      error: serializeError(error),
    });
    // Hand the job back for a later try; if even that fails, its lease runs out as after a crash.
    await ctx
      .write(async (tx) => {
        if (job.run_id) await lockRun(tx, job.run_id);
        if (await store.lockOwnedJob(tx, job.id, job.claim)) {
          await store.releaseJob(tx, job.id, { attempt: job.attempt, delayMs: 1000 });
        }
      })
      .catch(() => {});
  }
}

/** Drops a job this worker still owns (its run finished, or its step already has a result). */
function dropJob(ctx: EngineContext, job: store.JobRow, runId: string) {
  return ctx.write(async (tx) => {
    await lockRun(tx, runId);
    if (await store.lockOwnedJob(tx, job.id, job.claim)) await store.deleteJob(tx, job.id);
  });
}

async function processExecution(ctx: EngineContext, job: store.JobRow) {
  const runId = job.run_id as string;
  let attempt = job.attempt;
  for (let round = 0; round < CONTINUE_BUDGET; round++) {
    const run = await store.loadRunState(ctx.db, runId);
    if (!run || (run.status !== "queued" && run.status !== "running")) return dropJob(ctx, job, runId);
    const fn = ctx.registry().functions.get(run.function_id);
    if (!fn) {
      await ctx.write((tx) =>
        finish(ctx, tx, runId, "failed", {
          error: { name: "Error", message: `Function "${run.function_id}" is not served by this app.` },
        }),
      );
      return;
    }
    const stored = run.steps;
    if (job.kind === "step" && stored.some((s) => s.hashed_id === job.step_id))
      return dropJob(ctx, job, runId);
    const steps: StepState = {};
    for (const s of stored) {
      steps[s.hashed_id] =
        s.status === "completed"
          ? { type: "data", data: s.output === null ? null : JSON.parse(s.output) }
          : { type: "error", error: s.error };
    }
    const discover = job.kind === "discover";
    // With other steps of the run in flight, discovery must only report, never run a step itself.
    const parallel = discover && run.has_step_jobs;
    const started = Date.now();
    const outcome = await callFunction(ctx, fn, run, {
      stepId: discover ? "step" : job.step_id,
      steps,
      stack: stored.map((s) => s.hashed_id),
      attempt,
      disableImmediateExecution: parallel,
      checkpoint: discover && !parallel ? { claim: job.claim } : undefined,
    });
    // The outcome is in memory: a rolled-back transaction is retried (ctx.write), never the call.
    const next = await applyOutcome(ctx, job, run, fn, attempt, outcome, started);
    if (next === "done") return;
    attempt = 0;
  }
  await ctx.write(async (tx) => {
    await lockRun(tx, runId);
    if (await store.lockOwnedJob(tx, job.id, job.claim)) await store.releaseJob(tx, job.id, { attempt: 0 });
  });
}
