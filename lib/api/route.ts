import type { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import { getCurrentUser, type SessionUser } from "@/lib/auth/session";
import { AppError, toResponse } from "@/lib/errors";
import { type OrgContext, resolveOrgContext } from "@/lib/orgs/context";
import type { PolicyName } from "@/lib/rate-limit/policies";
import { metaFromHeaders } from "@/lib/request-meta";
import { assertNoNul, parseWith } from "./input";
import { enforceWrapperLimits } from "./limits";
import { assertSameOrigin } from "./origin";
import { readJson } from "./read-json";

type Params = Record<string, string | string[] | undefined>;
type RouteArgs = { params: Promise<Params> };

export { parseWith, readJson };

function toJsonResponse(result: unknown): Response {
  if (result instanceof Response) return result;
  if (result === undefined) return new Response(null, { status: 204 });
  return Response.json(result);
}

type OrgRouteOptions<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> = {
  permission: Permission;
  body?: B;
  query?: Q;
  maxBytes?: number;
  /** A policy counted on top of the defaults (`api.user`, `api.org`). */
  limit?: PolicyName;
};

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

/**
 * The one wrapper for org-scoped route handlers (`/api/orgs/[org]/...`): resolves the user
 * (refusing cross-site writes), the organization from the URL and the membership, checks the
 * permission, counts the rate limits, parses the body and query with zod, and maps every error
 * to a JSON response without internals.
 */
export function orgRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(
  opts: OrgRouteOptions<B, Q>,
  handler: (args: {
    req: Request;
    ctx: OrgContext;
    body: Infer<B>;
    query: Infer<Q>;
    params: Record<string, string>;
  }) => Promise<unknown>,
) {
  return async (req: Request, route: RouteArgs): Promise<Response> => {
    try {
      const params = stringParams(await route.params);
      const caller = await resolveCaller(req);
      const ctx = await resolveOrgContext(
        caller?.user ?? null,
        params.org ?? "",
        opts.permission,
        metaFromHeaders(req.headers),
      );
      await enforceWrapperLimits({ userId: ctx.user.id, orgId: ctx.org.id, meta: ctx.meta }, opts.limit);
      const body = (
        opts.body ? parseWith(opts.body, await readJson(req, opts.maxBytes)) : undefined
      ) as Infer<B>;
      const query = (
        opts.query ? parseWith(opts.query, Object.fromEntries(new URL(req.url).searchParams)) : undefined
      ) as Infer<Q>;
      return toJsonResponse(await handler({ req, ctx, body, query, params }));
    } catch (error) {
      return toResponse(error);
    }
  };
}

/** For signed-in routes outside an organization (e.g. creating one). */
export function userRoute<B extends z.ZodType | undefined = undefined>(
  opts: { body?: B; maxBytes?: number; limit?: PolicyName },
  handler: (args: {
    req: Request;
    user: SessionUser;
    body: Infer<B>;
    params: Record<string, string>;
  }) => Promise<unknown>,
) {
  return async (req: Request, route: RouteArgs): Promise<Response> => {
    try {
      const params = stringParams(await route.params);
      const caller = await resolveCaller(req);
      if (!caller) throw new AppError("unauthenticated", "Sign in to continue.");
      const { user } = caller;
      await enforceWrapperLimits({ userId: user.id, meta: metaFromHeaders(req.headers) }, opts.limit);
      const body = (
        opts.body ? parseWith(opts.body, await readJson(req, opts.maxBytes)) : undefined
      ) as Infer<B>;
      return toJsonResponse(await handler({ req, user, body, params }));
    } catch (error) {
      return toResponse(error);
    }
  };
}

/** Route params (slugs, ids) go into lookups too: a NUL in one is a 400, not a database error. */
function stringParams(params: Params | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (typeof v === "string") out[k] = v;
  assertNoNul(out);
  return out;
}

type Caller = { user: SessionUser; via: "session" };

/**
 * Who is calling. Today only the session cookie authenticates, so every mutation gets the
 * cross-site check; API keys (bearer tokens, which a cross-site page cannot send) will return
 * `via: "api_key"` here and skip it.
 */
async function resolveCaller(req: Request): Promise<Caller | null> {
  const user = await getCurrentUser();
  if (!user) return null;
  const caller: Caller = { user, via: "session" };
  if (caller.via === "session") assertSameOrigin(req.method, req.url, req.headers);
  return caller;
}
