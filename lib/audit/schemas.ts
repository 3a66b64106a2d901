import { z } from "zod";
import { AUDIT_ACTIONS } from "./log";

export const AUDIT_PAGE_SIZE = 50;

/** Where a page of entries (newest first) ended: the last entry's exact time and id. */
export type AuditCursor = { createdAt: string; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Microsecond precision, as Postgres stores it: a millisecond Date would skip rows on page edges.
const EXACT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString("base64url");
}

function decodeCursor(value: string): AuditCursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [createdAt, id] = parsed;
    if (typeof createdAt !== "string" || !EXACT_TIME.test(createdAt)) return null;
    if (typeof id !== "string" || !UUID.test(id)) return null;
    return { createdAt, id };
  } catch {
    return null;
  }
}

const blankAsMissing = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const day = (label: string) =>
  blankAsMissing(z.iso.date({ error: `The ${label} date must be a real date like 2026-01-31.` }));

/** Query of `GET /api/orgs/[org]/audit` and of the audit page's URL. Dates are UTC days, inclusive. */
export const auditQuerySchema = z
  .object({
    action: blankAsMissing(z.enum(AUDIT_ACTIONS, { error: "Choose an action from the list." })),
    actor: blankAsMissing(z.string().trim().max(320, "The actor email must be at most 320 characters.")),
    from: day("start"),
    to: day("end"),
    cursor: blankAsMissing(
      z.string().transform((value, ctx) => {
        const cursor = decodeCursor(value);
        if (cursor) return cursor;
        ctx.addIssue({
          code: "custom",
          message: "This page link is not valid; start again from the first page.",
        });
        return z.NEVER;
      }),
    ),
    format: blankAsMissing(z.enum(["json", "csv"], { error: "Format must be json or csv." })).transform(
      (f) => f ?? "json",
    ),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: "The end date must be on or after the start date.",
    path: ["to"],
  });

export type AuditQuery = z.infer<typeof auditQuerySchema>;
export type AuditFilters = Pick<AuditQuery, "action" | "actor" | "from" | "to">;
