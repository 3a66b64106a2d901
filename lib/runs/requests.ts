import "server-only";
import { inngest } from "@/inngest/client";
import { runCancelRequested, runRequested, taskRetryRequested } from "@/inngest/events";

/**
 * The events the run verbs send to the run function (contract in RUNS.md). Each is sent after the
 * transaction that changed the rows has committed, so the function always finds them.
 */

export type RunScope = { orgId: string; runId: string };

export const requestRun = (scope: RunScope) => inngest.send(runRequested.create({ ...scope }));

export const requestRunCancel = (scope: RunScope) => inngest.send(runCancelRequested.create({ ...scope }));

export const requestTaskRetry = (scope: RunScope, taskId: string) =>
  inngest.send(taskRetryRequested.create({ ...scope, taskId }));
