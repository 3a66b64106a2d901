import "server-only";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { modelCalls } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import type { UsageNumbers } from "./queries";

export type UsageGroupBy = "day" | "month";
export type UsageReport = {
  from: string;
  to: string;
  groupBy: UsageGroupBy;
  /** Every period of the range, oldest first, zero when nothing ran. */
  periods: ({ period: string } & UsageNumbers)[];
  totals: UsageNumbers;
};

const DAY_MS = 86_400_000;
export const USAGE_RANGE_MAX_DAYS = 366;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** The organization's model usage between two UTC days (inclusive), by day or by month. */
export async function getUsageByPeriod(
  ctx: OrgContext,
  query: { from?: string; to?: string; groupBy: UsageGroupBy },
  now = new Date(),
): Promise<UsageReport> {
  const to = query.to ?? dayOf(now);
  const from = query.from ?? dayOf(new Date(Date.parse(to) - 29 * DAY_MS));
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`) + DAY_MS;
  if (end <= start) {
    throw new AppError("validation", "Some fields are invalid.", {
      fieldErrors: { to: ["`to` must not be before `from`."] },
    });
  }
  if ((end - start) / DAY_MS > USAGE_RANGE_MAX_DAYS) {
    throw new AppError("validation", "Some fields are invalid.", {
      fieldErrors: { from: [`Ask for at most ${USAGE_RANGE_MAX_DAYS} days at once.`] },
    });
  }
  const format = query.groupBy === "day" ? "YYYY-MM-DD" : "YYYY-MM";
  const period = sql<string>`to_char(${modelCalls.createdAt} at time zone 'UTC', ${sql.raw(`'${format}'`)})`;
  const rows = await ctx.tx((tx) =>
    tx
      .select({
        period,
        inputTokens: sql<number>`coalesce(sum(${modelCalls.inputTokens}), 0)::bigint`,
        outputTokens: sql<number>`coalesce(sum(${modelCalls.outputTokens}), 0)::bigint`,
        costUsd: sql<number>`coalesce(sum(${modelCalls.costUsd}), 0)::float8`,
        calls: sql<number>`count(*)::int`,
      })
      .from(modelCalls)
      .where(
        and(
          eq(modelCalls.orgId, ctx.org.id),
          gte(modelCalls.createdAt, new Date(start)),
          lt(modelCalls.createdAt, new Date(end)),
        ),
      )
      .groupBy(period),
  );
  const found = new Map(
    rows.map((r) => [
      r.period,
      {
        inputTokens: Number(r.inputTokens),
        outputTokens: Number(r.outputTokens),
        costUsd: Number(r.costUsd),
        calls: Number(r.calls),
      },
    ]),
  );
  const labels: string[] = [];
  for (let t = start; t < end; t += DAY_MS) {
    const label = query.groupBy === "day" ? dayOf(new Date(t)) : dayOf(new Date(t)).slice(0, 7);
    if (labels[labels.length - 1] !== label) labels.push(label);
  }
  const zero: UsageNumbers = { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 };
  const periods = labels.map((p) => ({ period: p, ...(found.get(p) ?? zero) }));
  const totals = periods.reduce(
    (s, p) => ({
      inputTokens: s.inputTokens + p.inputTokens,
      outputTokens: s.outputTokens + p.outputTokens,
      costUsd: s.costUsd + p.costUsd,
      calls: s.calls + p.calls,
    }),
    zero,
  );
  return { from, to, groupBy: query.groupBy, periods, totals };
}
