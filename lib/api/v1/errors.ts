import { AppError, type ErrorCode, type FieldErrors, toErrorBody } from "@/lib/errors";

/** The v1 error body: `fields` maps each invalid field to its messages (empty when none). */
export type V1ErrorBody = { error: { code: ErrorCode; message: string; fields: FieldErrors } };

/**
 * Maps anything thrown to the v1 error response. Built on `toErrorBody` (the session API's), with
 * its `fieldErrors` renamed `fields`; anything that is not an AppError stays a bare 500.
 */
export function v1ErrorResponse(error: unknown, extraHeaders: Record<string, string> = {}): Response {
  const { status, body, retryAfter } = toErrorBody(error);
  const headers: Record<string, string> = { ...extraHeaders };
  if (retryAfter) headers["retry-after"] = String(retryAfter);
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="api"';
  const out: V1ErrorBody = {
    error: { code: body.error.code, message: body.error.message, fields: body.error.fieldErrors ?? {} },
  };
  return Response.json(out, { status, headers });
}

export const fieldError = (code: ErrorCode, message: string, field: string, fieldMessage = message) =>
  new AppError(code, message, { fieldErrors: { [field]: [fieldMessage] } });
