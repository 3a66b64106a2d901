import type { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import { getCurrentUser, type SessionUser } from "@/lib/auth/session";
import { AppError, toResponse, validationError } from "@/lib/errors";
import { type OrgContext, resolveOrgContext } from "@/lib/orgs/context";
import { metaFromHeaders } from "@/lib/request-meta";

const DEFAULT_MAX_BYTES = 64 * 1024;

type Params = Record<string, string | string[] | undefined>;
type RouteArgs = { params: Promise<Params> };

/** Reads a JSON body with a size cap, mapping every way it can be wrong to a clear 4xx. */
export async function readJson(req: Request, maxBytes = DEFAULT_MAX_BYTES): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new AppError(
      "unsupported_media_type",
      "Send the body as JSON with Content-Type: application/json.",
    );
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes)
    throw new AppError("payload_too_large", `The body must be at most ${maxBytes} bytes.`);
  const text = await req.text();
  if (Buffer.byteLength(text) > maxBytes) {
    throw new AppError("payload_too_large", `The body must be at most ${maxBytes} bytes.`);
  }
  if (text.trim() === "") throw new AppError("bad_request", "The request body is empty; JSON was expected.");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

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
};

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

/**
 * The one wrapper for org-scoped route handlers (`/api/orgs/[org]/...`): resolves the user, the
 * organization from the URL and the membership, checks the permission, parses the body and query
 * with zod, and maps every error to a JSON response without internals.
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
      const user = await getCurrentUser();
      const ctx = await resolveOrgContext(
        user,
        params.org ?? "",
        opts.permission,
        metaFromHeaders(req.headers),
      );
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
  opts: { body?: B; maxBytes?: number },
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
      const user = await getCurrentUser();
      if (!user) throw new AppError("unauthenticated", "Sign in to continue.");
      const body = (
        opts.body ? parseWith(opts.body, await readJson(req, opts.maxBytes)) : undefined
      ) as Infer<B>;
      return toJsonResponse(await handler({ req, user, body, params }));
    } catch (error) {
      return toResponse(error);
    }
  };
}

function stringParams(params: Params | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (typeof v === "string") out[k] = v;
  return out;
}
