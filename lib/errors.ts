import { z } from "zod";

export const ERROR_STATUS = {
  bad_request: 400,
  validation: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type FieldErrors = Record<string, string[]>;

/** The one error type the app throws on purpose. Its message is safe to show a user. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors?: FieldErrors;
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { fieldErrors?: FieldErrors; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = opts.fieldErrors;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what = "Not found") => new AppError("not_found", what);
export const forbidden = (message = "You do not have permission to do that.") =>
  new AppError("forbidden", message);

export function fieldErrorsFromZod(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    out[key] = [...(out[key] ?? []), issue.message];
  }
  return out;
}

export function validationError(error: z.ZodError): AppError {
  return new AppError("validation", "Some fields are invalid.", { fieldErrors: fieldErrorsFromZod(error) });
}

export type ErrorBody = { error: { code: ErrorCode; message: string; fieldErrors?: FieldErrors } };

/** Maps anything thrown to what a client may see: AppErrors as they are, the rest as a bare 500. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody; retryAfter?: number } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, fieldErrors: error.fieldErrors } },
      retryAfter: error.retryAfterSeconds,
    };
  }
  if (error instanceof z.ZodError) return toErrorBody(validationError(error));
  console.error("[error] unhandled", error);
  return {
    status: 500,
    body: { error: { code: "internal", message: "Something went wrong. Please try again." } },
  };
}

export function toResponse(error: unknown): Response {
  const { status, body, retryAfter } = toErrorBody(error);
  const headers: HeadersInit = retryAfter ? { "retry-after": String(retryAfter) } : {};
  return Response.json(body, { status, headers });
}

/** Postgres unique violation, so a race on a unique slug becomes a 409, not a 500. */
export function isUniqueViolation(error: unknown): boolean {
  let e: unknown = error;
  for (let i = 0; i < 4 && e; i++) {
    if (typeof e === "object" && e !== null && "code" in e && (e as { code: unknown }).code === "23505")
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
