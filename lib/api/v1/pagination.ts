import { and, eq, lt, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * Cursor pagination of /api/v1 lists: newest first by (createdAt, id), `limit` 1..100 (default
 * 20), and an opaque `cursor` (base64url) naming the last row of the previous page. The cursor
 * keeps the database's microseconds, so rows created within one millisecond are neither repeated
 * nor skipped. Answers are `{ data, nextCursor }`, `nextCursor` null on the last page.
 */

export const PAGE_LIMIT_MAX = 100;
export const PAGE_LIMIT_DEFAULT = 20;

const blank = (v: unknown) => (v === "" || v === null ? undefined : v);

export const paginationQuery = z.object({
  limit: z
    .preprocess(
      blank,
      z.coerce
        .number({ message: "The limit must be a number." })
        .int("The limit must be a whole number.")
        .min(1, "The limit must be at least 1.")
        .max(PAGE_LIMIT_MAX, `The limit must be at most ${PAGE_LIMIT_MAX}.`)
        .default(PAGE_LIMIT_DEFAULT),
    )
    .meta({ description: `Page size, 1–${PAGE_LIMIT_MAX} (default ${PAGE_LIMIT_DEFAULT}).` }),
  cursor: z
    .preprocess(blank, z.string().max(200, "The cursor is invalid.").optional())
    .meta({ description: "The `nextCursor` of the previous page; omit for the first page." }),
});
export type PaginationQuery = z.infer<typeof paginationQuery>;

export type Cursor = { createdAt: string; id: string };

/** The page envelope's schema around an item schema. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null at the end." }),
  });

export type Page<T> = { data: T[]; nextCursor: string | null };

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id]), "utf8").toString("base64url");
}

const badCursor = () =>
  new AppError("bad_request", "The cursor is invalid.", {
    fieldErrors: { cursor: ["The cursor is invalid or from another list; start again without it."] },
  });

export function decodeCursor(value: string): Cursor {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(value)) throw badCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== "string" ||
    !TS.test(parsed[0]) ||
    !z.uuid().safeParse(parsed[1]).success
  ) {
    throw badCursor();
  }
  return { createdAt: parsed[0], id: parsed[1] as string };
}

/** The createdAt column as UTC ISO text with microseconds, for the cursor of a row. */
export const cursorTime = (createdAt: PgColumn) =>
  sql<string>`to_char(${createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Rows strictly after the cursor in (createdAt desc, id desc) order. */
export function afterCursor(createdAt: PgColumn, id: PgColumn, cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const c = decodeCursor(cursor);
  const at = sql`${c.createdAt}::timestamptz`;
  return or(lt(createdAt, at), and(eq(createdAt, at), lt(id, c.id)));
}

/** Builds the page from `limit + 1` rows read in order, each with its cursor time. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  cursorOf: (row: R) => Cursor,
  present: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { data: kept.map(present), nextCursor: more && last ? encodeCursor(cursorOf(last)) : null };
}
