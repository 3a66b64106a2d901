import { createHash } from "node:crypto";
import { and, eq, isNull, lt } from "drizzle-orm";
import { getDb } from "@/db";
import { idempotencyKeys } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";

/**
 * `Idempotency-Key` for POSTs that create things (runs, projects). The first request with a key
 * claims it (a row under the unique index (org, caller, key), committed before the work starts);
 * its response, when successful, is stored and replayed to every retry with the same key and the
 * same request, with `Idempotent-Replayed: true`. The same key with a different request is a 422;
 * a retry while the first is still running waits up to WAIT_MS, then gets a 409. A failed first
 * request (an error response or an exception) releases the key, so a fixed retry may use it.
 * Keys live 24 hours: an older row is deleted when its key is presented again (lazy cleanup) and
 * `purgeExpiredIdempotencyKeys` removes the rest.
 */

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim still pending after this long belongs to a crashed request: it may be taken over. */
export const IDEMPOTENCY_STALE_MS = 2 * 60 * 1000;
const WAIT_MS = 5_000;
const POLL_MS = 50;
const KEY = /^[\x21-\x7e]{1,255}$/;

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const REPLAYED_HEADER = "Idempotent-Replayed";

/** The header's value, validated (printable ASCII, at most 255 characters), or null when absent. */
export function idempotencyKeyOf(headers: Headers): string | null {
  const value = headers.get(IDEMPOTENCY_HEADER);
  if (value === null) return null;
  if (!KEY.test(value)) {
    throw new AppError("bad_request", "The Idempotency-Key header is invalid.", {
      fieldErrors: { [IDEMPOTENCY_HEADER]: ["Use 1–255 printable ASCII characters, without spaces."] },
    });
  }
  return value;
}

/** Key order does not matter: `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method} ${path}\n${canonical(body)}`)
    .digest("hex");
}

type Claim = { id: string } | { replay: Response };

const differentRequest = () =>
  new AppError("validation", "This Idempotency-Key was already used with a different request.", {
    fieldErrors: {
      [IDEMPOTENCY_HEADER]: ["Use a new key for a different request; a key may only be retried as it was."],
    },
  });
const inProgress = () =>
  new AppError(
    "conflict",
    "A request with this Idempotency-Key is still in progress. Retry in a moment to get its result.",
  );

export async function withIdempotency(
  ctx: OrgContext,
  request: { req: Request; key: string; body: unknown },
  run: () => Promise<Response>,
): Promise<Response> {
  const { req, key } = request;
  const path = new URL(req.url).pathname;
  const principal = ctx.apiKey ? `api_key:${ctx.apiKey.id}` : `user:${ctx.user.id}`;
  const hash = requestHash(req.method, path, request.body);
  const scope = { orgId: ctx.org.id, principal, key };
  const claim = await claimKey(ctx, scope, { method: req.method, path, hash });
  if ("replay" in claim) return claim.replay;

  let res: Response;
  try {
    res = await run();
  } catch (error) {
    await release(ctx, claim.id);
    throw error;
  }
  if (res.status < 200 || res.status >= 300) {
    await release(ctx, claim.id);
    return res;
  }
  const body = await res
    .clone()
    .json()
    .catch(() => null);
  await ctx.tx((tx) =>
    tx
      .update(idempotencyKeys)
      .set({ responseStatus: res.status, responseBody: body })
      .where(and(eq(idempotencyKeys.orgId, ctx.org.id), eq(idempotencyKeys.id, claim.id))),
  );
  return res;
}

type Scope = { orgId: string; principal: string; key: string };

async function claimKey(
  ctx: OrgContext,
  scope: Scope,
  request: { method: string; path: string; hash: string },
): Promise<Claim> {
  const match = and(
    eq(idempotencyKeys.orgId, scope.orgId),
    eq(idempotencyKeys.principal, scope.principal),
    eq(idempotencyKeys.key, scope.key),
  );
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const outcome = await ctx.tx(async (tx) => {
      const now = Date.now();
      // Lazy cleanup: an expired record, or a claim its crashed request never finished, frees the key.
      await tx
        .delete(idempotencyKeys)
        .where(and(match, lt(idempotencyKeys.createdAt, new Date(now - IDEMPOTENCY_TTL_MS))));
      await tx
        .delete(idempotencyKeys)
        .where(
          and(
            match,
            isNull(idempotencyKeys.responseStatus),
            lt(idempotencyKeys.createdAt, new Date(now - IDEMPOTENCY_STALE_MS)),
          ),
        );
      const [inserted] = await tx
        .insert(idempotencyKeys)
        .values({ ...scope, method: request.method, path: request.path, requestHash: request.hash })
        .onConflictDoNothing()
        .returning({ id: idempotencyKeys.id });
      if (inserted) return { claimed: inserted.id, existing: undefined };
      const [existing] = await tx.select().from(idempotencyKeys).where(match).limit(1);
      return { claimed: null, existing };
    });
    if (outcome.claimed) return { id: outcome.claimed };
    const row = outcome.existing;
    if (!row) continue; // released between the insert and the read: claim again
    if (row.requestHash !== request.hash) throw differentRequest();
    if (row.responseStatus !== null) {
      return {
        replay: Response.json(row.responseBody, {
          status: row.responseStatus,
          headers: { [REPLAYED_HEADER]: "true" },
        }),
      };
    }
    if (Date.now() >= deadline) throw inProgress();
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function release(ctx: OrgContext, id: string): Promise<void> {
  await ctx
    .tx((tx) =>
      tx
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.orgId, ctx.org.id), eq(idempotencyKeys.id, id))),
    )
    .catch((error) => console.error("[idempotency] could not release a key", error));
}

/** Deletes every record older than 24 hours (any organization); returns how many. */
export async function purgeExpiredIdempotencyKeys(now = new Date()): Promise<number> {
  const db = await getDb();
  const rows = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_TTL_MS)))
    .returning({ id: idempotencyKeys.id });
  return rows.length;
}
