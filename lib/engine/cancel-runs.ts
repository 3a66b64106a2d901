import type { Inngest } from "inngest";

/**
 * Cancels the active runs of one of the app's functions started in a time window (optionally only
 * those whose trigger event matches `if`), with Inngest's REST bulk cancellation
 * (`POST /v1/cancellations`) sent through the app's Inngest client: the embedded engine answers it
 * in process, Inngest Cloud or self-hosted over HTTPS. Prefer `cancelOn` events where they fit.
 */
export async function cancelRuns(
  client: Inngest.Any,
  opts: { functionId: string; startedAfter: Date; startedBefore: Date; if?: string },
): Promise<void> {
  const res = await client.fetch(new URL("v1/cancellations", client.apiBaseUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${client.signingKey ?? ""}`, "content-type": "application/json" },
    body: JSON.stringify({
      app_id: client.id,
      function_id: opts.functionId,
      started_after: opts.startedAfter.toISOString(),
      started_before: opts.startedBefore.toISOString(),
      ...(opts.if ? { if: opts.if } : {}),
    }),
  });
  if (!res.ok) throw new Error(`Cancelling runs failed (${res.status}): ${await res.text()}`);
}
