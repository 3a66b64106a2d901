import { orgRoute } from "@/lib/api/route";
import { createRunEventStream } from "@/lib/runs/live-stream";
import { findRunRow } from "@/lib/runs/queries";
import { RUN_STREAM_HEADERS, resumePointOf } from "@/lib/runs/stream-protocol";

/**
 * The run's event log as Server-Sent Events (lib/runs/stream-protocol.ts): the replay after
 * `?after=` / `Last-Event-ID`, then live events, heartbeats, and a finish after the final status.
 */
export const GET = orgRoute({ permission: "runs.read" }, async ({ req, ctx, params }) => {
  const run = await ctx.tx((tx) => findRunRow(tx, ctx.org.id, params.run ?? ""));
  const body = createRunEventStream({
    orgId: ctx.org.id,
    runId: run.id,
    after: resumePointOf(req),
    signal: req.signal,
  });
  return new Response(body, { headers: RUN_STREAM_HEADERS });
});
