import { headers } from "next/headers";
import type { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import { getCurrentUser, type SessionUser } from "@/lib/auth/session";
import { AppError, type ErrorCode, type FieldErrors, toErrorBody } from "@/lib/errors";
import { type OrgContext, resolveOrgContext } from "@/lib/orgs/context";
import type { PolicyName } from "@/lib/rate-limit/policies";
import { metaFromHeaders, type RequestMeta } from "@/lib/request-meta";
import { assertNoNul, parseWith } from "./input";
import { enforceWrapperLimits } from "./limits";
import { assertSameOriginAction } from "./origin";

export type ActionError = { code: ErrorCode; message: string; fieldErrors?: FieldErrors };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/** Form submissions arrive as FormData; plain objects come from client code. */
function toInput(input: unknown): unknown {
  if (typeof FormData !== "undefined" && input instanceof FormData) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of input.entries()) {
      if (k.startsWith("$ACTION")) continue;
      out[k] = typeof v === "string" ? v : undefined;
    }
    return out;
  }
  return input;
}

/**
 * The signed-in caller of an action and this request's metadata; the session cookie
 * authenticates actions, so the cross-site check applies (see lib/api/origin.ts).
 */
async function resolveActionCaller(): Promise<{ user: SessionUser | null; meta: RequestMeta }> {
  const h = await headers();
  const user = await getCurrentUser();
  if (user) assertSameOriginAction(h);
  return { user, meta: metaFromHeaders(h) };
}

function fail(error: unknown): { ok: false; error: ActionError } {
  const { body } = toErrorBody(error);
  return { ok: false, error: body.error };
}

/**
 * The one wrapper for org-scoped server actions: same resolution and permission check as
 * `orgRoute`, returning a result object (never throwing expected errors at the client).
 */
export function orgAction<S extends z.ZodType, R>(
  opts: { permission: Permission; schema: S; limit?: PolicyName },
  fn: (input: z.infer<S>, ctx: OrgContext) => Promise<R>,
) {
  return async (orgSlug: string, input: unknown): Promise<ActionResult<R>> => {
    try {
      const slug = String(orgSlug ?? "");
      assertNoNul({ org: slug });
      const { user, meta } = await resolveActionCaller();
      const ctx = await resolveOrgContext(user, slug, opts.permission, meta);
      await enforceWrapperLimits({ userId: ctx.user.id, orgId: ctx.org.id, meta }, opts.limit);
      const data = parseWith(opts.schema, toInput(input));
      return { ok: true, data: await fn(data, ctx) };
    } catch (error) {
      rethrowNavigation(error);
      return fail(error);
    }
  };
}

/** For signed-in actions outside an organization (create one, accept an invitation). */
export function userAction<S extends z.ZodType, R>(
  schema: S,
  fn: (input: z.infer<S>, user: SessionUser, meta: RequestMeta) => Promise<R>,
  opts: { limit?: PolicyName } = {},
) {
  return async (input: unknown): Promise<ActionResult<R>> => {
    try {
      const { user, meta } = await resolveActionCaller();
      if (!user) throw new AppError("unauthenticated", "Sign in to continue.");
      await enforceWrapperLimits({ userId: user.id, meta }, opts.limit);
      return { ok: true, data: await fn(parseWith(schema, toInput(input)), user, meta) };
    } catch (error) {
      rethrowNavigation(error);
      return fail(error);
    }
  };
}

/** `redirect()` and `notFound()` work by throwing; they must reach Next, not become results. */
function rethrowNavigation(error: unknown) {
  const digest = (error as { digest?: unknown } | null)?.digest;
  if (
    typeof digest === "string" &&
    (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR"))
  ) {
    throw error;
  }
}
