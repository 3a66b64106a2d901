import { eventType } from "inngest";
import { z } from "zod";

/**
 * Typed events (`domain/noun.verb`). Functions trigger on these, and senders build payloads with
 * `.create(data)`, so both sides share one zod schema; the SDK validates data before a run starts.
 */

export const authCleanupRequested = eventType("maintenance/auth-cleanup.requested", {
  schema: z.object({ reason: z.string().max(200).optional() }),
});

/** Re-check verified SSO domains now (the daily cron does it anyway). */
export const ssoDomainRecheckRequested = eventType("sso/domains.recheck-requested", {
  schema: z.object({ reason: z.string().max(200).optional() }),
});

// The agent swarm (lib/runs, inngest/functions/agent-run.ts). Senders: lib/runs/start-run,
// resume-run, cancel-run, decide-approval and retry-task; every payload carries the org id so the
// function re-checks scope.
const runScope = { orgId: z.uuid(), runId: z.uuid() };

/** A run (new, resumed, or with a task to retry) should be executed: its row is committed. */
export const runRequested = eventType("runs/run.requested", { schema: z.object(runScope) });

/** Cancels the running function for the run (`cancelOn` matches `data.runId`). */
export const runCancelRequested = eventType("runs/run.cancel-requested", { schema: z.object(runScope) });

/** A member decided an approval; the waiting run matches it by `approvalId`. */
export const approvalDecided = eventType("runs/approval.decided", {
  schema: z.object({
    ...runScope,
    approvalId: z.uuid(),
    decision: z.enum(["approved", "rejected"]),
    comment: z.string().max(4000).nullable(),
  }),
});

/** A failed task was reset to `todo`; a running function picks it up at its next scheduling round. */
export const taskRetryRequested = eventType("runs/task.retry-requested", {
  schema: z.object({ ...runScope, taskId: z.uuid() }),
});

/** Run the project's checks on the head of its default branch (a member asked, on the project page). */
export const projectChecksRequested = eventType("repos/checks.requested", {
  schema: z.object({ orgId: z.uuid(), projectId: z.uuid(), requestId: z.uuid() }),
});

/** A webhook delivery was recorded (committed) and should be sent; `endpointId` keys concurrency. */
export const webhookDeliveryRequested = eventType("webhook/delivery.requested", {
  schema: z.object({ orgId: z.uuid(), endpointId: z.uuid(), deliveryId: z.uuid() }),
});

/** A member approved the plan of a run started with "review the plan first"; the waiting run resumes. */
export const planApproved = eventType("runs/plan.approved", { schema: z.object(runScope) });

/**
 * Something a run waiting on external workers should look at now: a worker handed a task in
 * (`taskId`, `submission`), or the plan changed (a task may be ready). The run re-reads its state.
 */
export const runNudged = eventType("runs/run.nudged", {
  schema: z.object({
    ...runScope,
    reason: z.enum(["external_completed", "plan_edited"]),
    taskId: z.uuid().optional(),
    submission: z.number().int().positive().optional(),
  }),
});

// The knowledge base (lib/knowledge). Every payload carries the org id; functions re-read the rows.

/** A document version was stored (uploaded) and should be extracted, chunked and indexed. */
export const knowledgeDocumentUploaded = eventType("knowledge/document.uploaded", {
  schema: z.object({ orgId: z.uuid(), documentId: z.uuid(), version: z.number().int().positive() }),
});

/** Chunks may lack embeddings (new chunks, or the organization's embedding model changed). */
export const knowledgeEmbeddingsRequested = eventType("knowledge/embeddings.requested", {
  schema: z.object({ orgId: z.uuid(), reason: z.string().max(200).optional() }),
});

/** A project's default branch moved (or it was connected): re-index its docs and READMEs. */
export const knowledgeRepositoryChanged = eventType("knowledge/repository.changed", {
  schema: z.object({ orgId: z.uuid(), projectId: z.uuid(), commit: z.string().max(64).optional() }),
});
