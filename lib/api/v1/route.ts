import type { z } from "zod";
import { assertNoNul, parseWith } from "@/lib/api/input";
import { readJson } from "@/lib/api/read-json";
import { authenticateApiKey } from "@/lib/api-keys/authenticate";
import { presentedApiKey } from "@/lib/api-keys/credentials";
import { apiKeyContext, requireScope } from "@/lib/api-keys/key-context";
import type { Permission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { metaFromHeaders } from "@/lib/request-meta";
import { v1ErrorResponse } from "./errors";
import { idempotencyKeyOf, withIdempotency } from "./idempotency";
import { enforceV1Limits, type RateLimitState, rateLimitHeaders } from "./rate-limits";

const DEFAULT_MAX_BYTES = 64 * 1024;

type Params = Record<string, string | string[] | undefined>;
type RouteArgs = { params: Promise<Params> };

/** What a /api/v1 route declares (an operation of lib/api/v1/operations.ts is one). */
export type V1RouteOptions = {
  scope: Permission;
  body?: z.ZodType;
  query?: z.ZodType;
  maxBytes?: number;
  /** Honours `Idempotency-Key` (lib/api/v1/idempotency.ts). */
  idempotent?: boolean;
};

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export type V1HandlerArgs<O extends V1RouteOptions> = {
  req: Request;
  ctx: OrgContext;
  body: Infer<O["body"]>;
  query: Infer<O["query"]>;
  params: Record<string, string>;
};

const NO_KEY = "Send an org API key: Authorization: Bearer dmk_…";

function toJsonResponse(result: unknown): Response {
  if (result instanceof Response) return result;
  if (result === undefined) return new Response(null, { status: 204 });
  return Response.json(result);
}

function withHeaders(res: Response, headers: Record<string, string>): Response {
  try {
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    return res;
  } catch {
    // Immutable headers (a fetched response): copy into a new one.
    const copy = new Response(res.body, res);
    for (const [k, v] of Object.entries(headers)) copy.headers.set(k, v);
    return copy;
  }
}

/**
 * The one wrapper of every /api/v1 route: authenticates the org API key (never a session: a
 * bearer token a cross-site page cannot send, so no CSRF check), counts the rate limits of the
 * key and of its organization's plan, checks the scope, parses the body and query with zod,
 * honours Idempotency-Key where declared, and maps every error to `{ error: { code, message,
 * fields } }` without internals. Every response after authentication carries RateLimit-* headers.
 */
export function v1Route<O extends V1RouteOptions>(
  opts: O,
  handler: (args: V1HandlerArgs<O>) => Promise<unknown>,
) {
  return async (req: Request, route: RouteArgs): Promise<Response> => {
    let limits: RateLimitState | null = null;
    try {
      const presented = presentedApiKey(req.headers);
      if (!presented) throw new AppError("unauthenticated", NO_KEY);
      const meta = metaFromHeaders(req.headers);
      const principal = await authenticateApiKey(presented, meta);
      const ctx = apiKeyContext(principal, meta);
      limits = await enforceV1Limits(principal.key.id, principal.org.id, principal.org.plan);
      requireScope(ctx, opts.scope);
      const params = stringParams(await route.params);
      const raw = opts.body ? await readJson(req, opts.maxBytes ?? DEFAULT_MAX_BYTES) : undefined;
      const body = (opts.body ? parseWith(opts.body, raw) : undefined) as Infer<O["body"]>;
      const query = (
        opts.query ? parseWith(opts.query, Object.fromEntries(new URL(req.url).searchParams)) : undefined
      ) as Infer<O["query"]>;
      const run = async () => toJsonResponse(await handler({ req, ctx, body, query, params }));
      const key = opts.idempotent ? idempotencyKeyOf(req.headers) : null;
      const res = key ? await withIdempotency(ctx, { req, key, body: raw }, run) : await run();
      return withHeaders(res, rateLimitHeaders(limits));
    } catch (error) {
      const state = (error as { rateLimit?: RateLimitState }).rateLimit ?? limits;
      return v1ErrorResponse(error, rateLimitHeaders(state));
    }
  };
}

/** Public /api/v1 routes (the OpenAPI document): no key, errors in the same shape. */
export function v1PublicRoute(handler: (req: Request) => Promise<unknown>) {
  return async (req: Request): Promise<Response> => {
    try {
      return toJsonResponse(await handler(req));
    } catch (error) {
      return v1ErrorResponse(error);
    }
  };
}

function stringParams(params: Params | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (typeof v === "string") out[k] = v;
  assertNoNul(out);
  return out;
}
