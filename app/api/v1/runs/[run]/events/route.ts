import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { createRunEventStream } from "@/lib/runs/live-stream";
import { findRunRow } from "@/lib/runs/queries";
import { RUN_STREAM_HEADERS, resumePointOf } from "@/lib/runs/stream-protocol";

/** The dashboard's run stream (lib/runs/stream-protocol.ts), resuming after `?after=` / `Last-Event-ID`. */
export const GET = v1Route(operations.streamRunEvents, async ({ req, ctx, params }) => {
  const run = await ctx.tx((tx) => findRunRow(tx, ctx.org.id, params.run ?? ""));
  const body = createRunEventStream({
    orgId: ctx.org.id,
    runId: run.id,
    after: resumePointOf(req),
    signal: req.signal,
  });
  return new Response(body, { headers: RUN_STREAM_HEADERS });
});
