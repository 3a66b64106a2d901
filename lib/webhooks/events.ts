/**
 * The events an endpoint can subscribe to: what the run engine writes to a run's event log and
 * is worth telling another system about. The body of every delivery is the Standard Webhooks
 * envelope `{ type, timestamp, data }`.
 */
export const WEBHOOK_EVENTS = [
  "run.started",
  "run.completed",
  "run.failed",
  "run.cancelled",
  "run.budget_exhausted",
  "task.completed",
  "task.failed",
  "approval.requested",
  "approval.decided",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
  "run.started": "A run started (once per run)",
  "run.completed": "A run completed",
  "run.failed": "A run failed",
  "run.cancelled": "A run was cancelled",
  "run.budget_exhausted": "A run ran out of budget",
  "task.completed": "A task was done (accepted by the reviewer, checks and any approval)",
  "task.failed": "A task failed",
  "approval.requested": "A run waits on a person's approval",
  "approval.decided": "An approval was approved, rejected or timed out",
};

/** The body of a delivery. */
export type WebhookEnvelope = { type: WebhookEventType; timestamp: string; data: Record<string, unknown> };
