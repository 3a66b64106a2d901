import { createHash, randomBytes } from "node:crypto";

/**
 * Message ids (the Standard Webhooks `webhook-id`). An emitted event's id is derived from its type
 * and a key naming the state change (e.g. the run's event-log position), so a step that runs twice
 * emits the same message and the unique (endpoint, message id) index drops the copy.
 *
 * A manual resend is the same message again: the receiver sees the same `webhook-id` (with a new
 * timestamp and signature), as the Standard Webhooks spec asks of re-sent messages, so a receiver
 * that dedupes by id can tell. It is stored as its own delivery (`resentFromId`, its own attempts),
 * whose `messageId` column carries a `.resend-<n>` suffix the wire id drops.
 */
export function eventMessageId(type: string, key: string): string {
  const hash = createHash("sha256").update(type).update("\u0000").update(key).digest("base64url");
  return `msg_${hash.slice(0, 27)}`;
}

export function resendMessageId(original: string): string {
  return `${wireMessageId(original)}.resend-${randomBytes(6).toString("hex")}`;
}

/** The `webhook-id` header of a delivery. */
export function wireMessageId(messageId: string): string {
  return messageId.split(".")[0] ?? messageId;
}
