import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import type { EngineLogger } from "./log";
import { bearerMatches } from "./signing";
import { insertEvents, rows } from "./store";
import { ulid } from "./time";
import { retrying } from "./transaction";

/**
 * The part of Inngest's API the SDK calls while the embedded engine drives it: the event API
 * (`POST /e/<key>`, what `inngest.send()` and `step.sendEvent` use) and async checkpointing
 * (`POST /v1/checkpoint/<runId>/async`, the SDK saving each finished step and running on), plus
 * the REST API's bulk cancellation (`POST /v1/cancellations`), so app code cancels runs the same
 * way on both. Served in process: the Inngest client's `fetch` hands these requests straight to it.
 */
export type EngineApi = (req: Request) => Promise<Response>;

type Limits = { stepOutputBytes: number; eventBytes: number };

const respond = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** Entropy for deterministic ids: the SDK sends `x-inngest-event-id-seed: <ms>,<base64>` and resends it on retry. */
function seededIds(seed: string | null, count: number): string[] {
  const [ms, b64] = (seed ?? "").split(",");
  const entropy = b64 ? Buffer.from(b64, "base64") : undefined;
  if (!ms || !/^\d+$/.test(ms) || !entropy || entropy.length < 10) {
    return Array.from({ length: count }, () => ulid());
  }
  return Array.from({ length: count }, (_, i) => {
    const bytes = Uint8Array.from(entropy.subarray(0, 10));
    let carry = i;
    for (let b = 9; b >= 0 && carry > 0; b--) {
      const sum = (bytes[b] as number) + carry;
      bytes[b] = sum & 0xff;
      carry = sum >> 8;
    }
    return ulid(Number(ms), bytes);
  });
}

export type ParsedEvents =
  | { ok: true; events: { id: string; name: string; payload: string }[] }
  | { ok: false; error: string };

/** Validates and normalizes events as Inngest's event API does (name required, size limit). */
export function parseEventPayloads(
  input: unknown,
  limits: Pick<Limits, "eventBytes">,
  seed: string | null = null,
): ParsedEvents {
  const list = Array.isArray(input) ? input : [input];
  const ids = seededIds(seed, list.length);
  const events: { id: string; name: string; payload: string }[] = [];
  for (const [i, raw] of list.entries()) {
    if (!raw || typeof raw !== "object") return { ok: false, error: `Event ${i} is not an object` };
    const e = raw as Record<string, unknown>;
    if (typeof e.name !== "string" || !e.name.trim()) return { ok: false, error: `Event ${i} has no name` };
    if (e.data !== undefined && (e.data === null || typeof e.data !== "object" || Array.isArray(e.data))) {
      return { ok: false, error: `Event "${e.name}": data must be an object` };
    }
    const id = typeof e.id === "string" && e.id ? e.id : (ids[i] as string);
    const event = {
      ...e,
      name: e.name,
      data: e.data ?? {},
      id,
      ts: typeof e.ts === "number" ? e.ts : Date.now(),
    };
    const payload = JSON.stringify(event);
    const bytes = Buffer.byteLength(payload, "utf8");
    if (bytes > limits.eventBytes) {
      return {
        ok: false,
        error: `Event "${e.name}" is ${Math.ceil(bytes / 1024)} KB, over the ${Math.floor(limits.eventBytes / 1024)} KB limit`,
      };
    }
    events.push({ id, name: e.name, payload });
  }
  return { ok: true, events };
}

type CheckpointOp = {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  data?: unknown;
  userland?: { id?: string };
  timing?: { a?: number; b?: number };
};

export type CancellationRequest = {
  functionId: string;
  startedAfter: Date;
  startedBefore: Date;
  if?: string;
};

const cancellationSchema = z.object({
  app_id: z.string().min(1),
  function_id: z.string().min(1),
  started_after: z.iso.datetime({ offset: true }),
  started_before: z.iso.datetime({ offset: true }),
  if: z.string().optional(),
});

export function createEngineApi(opts: {
  db: Db;
  asyncCommit?: boolean;
  signingKey: string;
  limits: Limits;
  log: EngineLogger;
  leaseMs: number;
  onEvents: () => void;
  /** Cancels matching active runs; throws on an unsupported `if`. Absent: cancellation is refused. */
  cancel?: (request: CancellationRequest) => Promise<number>;
}): EngineApi {
  const { db, log } = opts;
  // Applies to this statement's own transaction only (see transaction.writer).
  const asyncCommit = opts.asyncCommit
    ? sql`, set_config('synchronous_commit', 'off', true) as async`
    : sql``;

  async function ingest(req: Request) {
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      return respond(400, { status: 400, error: "The body is not JSON" });
    }
    const parsed = parseEventPayloads(body, opts.limits, req.headers.get("x-inngest-event-id-seed"));
    if (!parsed.ok) return respond(400, { status: 400, error: parsed.error });
    await insertEvents(db, parsed.events);
    for (const e of parsed.events) log("info", { msg: "event.received", eventId: e.id, event: e.name });
    opts.onEvents();
    return respond(200, { status: 200, ids: parsed.events.map((e) => e.id) });
  }

  async function checkpoint(req: Request, runId: string) {
    if (!bearerMatches(req.headers.get("authorization"), opts.signingKey)) {
      return respond(401, { error: "Unauthorized" });
    }
    const body = (await req.json()) as { qi_id?: string; steps?: CheckpointOp[] };
    const claim = body.qi_id ?? "";
    for (const op of body.steps ?? []) {
      if (op.op !== "StepRun") return respond(400, { error: `Cannot checkpoint a ${op.op} operation` });
      const output = JSON.stringify(op.data ?? null);
      if (Buffer.byteLength(output, "utf8") > opts.limits.stepOutputBytes) {
        // Refused: the SDK then returns the step in its response, where the engine fails it.
        return respond(413, { error: "Step output over the size limit" });
      }
      const startedAt = op.timing?.a ? new Date(op.timing.a / 1e6).toISOString() : new Date().toISOString();
      const endedAt = op.timing?.a
        ? new Date((op.timing.a + (op.timing.b ?? 0)) / 1e6).toISOString()
        : new Date().toISOString();
      const name = op.displayName ?? op.name ?? op.id;
      // One statement: still our claim (which also extends the lease), run active, first write wins.
      // Lock order: this job, then its step (transaction.ts); the run's only job, so no run lock.
      const [result] = await retrying(log, () =>
        rows<{ owned: number; stored: number; attempt: number | null }>(
          db,
          sql`
        with j as (
          update engine_jobs set lease_until = now() + make_interval(secs => ${opts.leaseMs / 1000})
          where claim = ${claim} and run_id = ${runId}
          returning run_id, attempt
        ),
        s as (
          insert into engine_steps (run_id, hashed_id, step_id, name, op, status, attempt, output, seq, started_at, ended_at)
          select j.run_id, ${op.id}, ${op.userland?.id ?? op.id}, ${name}, 'run', 'completed', j.attempt, ${output},
                 nextval('engine_step_seq'), ${startedAt}::timestamptz, ${endedAt}::timestamptz
          from j
          where exists (select 1 from engine_runs r where r.id = j.run_id and r.status in ('queued', 'running'))
          on conflict (run_id, hashed_id) do update
            set status = excluded.status, attempt = excluded.attempt, output = excluded.output,
                error = null, seq = excluded.seq, ended_at = excluded.ended_at
            where engine_steps.status not in ('completed', 'failed')
          returning hashed_id
        )
        select (select count(*) from j)::int as owned, (select count(*) from s)::int as stored,
               (select attempt from j) as attempt${asyncCommit}`,
        ),
      );
      if (!result?.owned) return respond(409, { error: "This execution no longer owns the run" });
      if (result.stored) {
        log("info", {
          msg: "step.completed",
          runId,
          stepId: op.userland?.id ?? op.id,
          hashedId: op.id,
          attempt: result.attempt ?? 0,
          durationMs: Math.round((op.timing?.b ?? 0) / 1e6),
          checkpointed: true,
        });
      }
    }
    return respond(200, {});
  }

  async function cancellations(req: Request) {
    // The REST API takes the signing key itself; the SDK's own calls send its hash.
    const auth = req.headers.get("authorization");
    if (!bearerMatches(auth, opts.signingKey) && auth !== `Bearer ${opts.signingKey}`) {
      return respond(401, { error: "Unauthorized" });
    }
    const parsed = cancellationSchema.safeParse(await req.json().catch(() => null));
    if (!parsed.success) return respond(400, { error: parsed.error.issues.map((i) => i.message).join("; ") });
    if (!opts.cancel) return respond(503, { error: "The embedded engine is not running in this process" });
    const b = parsed.data;
    try {
      const cancelled = await opts.cancel({
        functionId: `${b.app_id}-${b.function_id}`,
        startedAfter: new Date(b.started_after),
        startedBefore: new Date(b.started_before),
        if: b.if,
      });
      return respond(200, { id: ulid(), ...b, cancelled });
    } catch (error) {
      return respond(400, { error: (error as Error).message });
    }
  }

  return async (req) => {
    const path = new URL(req.url).pathname;
    try {
      if (req.method === "POST" && path === "/v1/cancellations") return await cancellations(req);
      if (req.method === "POST" && /^\/e\/[^/]+$/.test(path)) return await ingest(req);
      const cp = /^\/v1\/checkpoint\/([^/]+)\/async$/.exec(path);
      if (req.method === "POST" && cp) return await checkpoint(req, decodeURIComponent(cp[1] as string));
    } catch (error) {
      log("error", { msg: "api.error", path, error: (error as Error).message });
      return respond(500, { status: 500, error: "The embedded engine failed to handle this request" });
    }
    return respond(404, {
      status: 404,
      error: `The embedded engine does not implement ${req.method} ${path}`,
    });
  };
}
