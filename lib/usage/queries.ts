import "server-only";
import { and, eq, gte, sql } from "drizzle-orm";
import { modelCalls } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";

export type UsageNumbers = { inputTokens: number; outputTokens: number; costUsd: number; calls: number };

export type OrgUsage = {
  /** Every day of the window (UTC, `YYYY-MM-DD`), oldest first, zero when nothing ran. */
  byDay: ({ day: string } & UsageNumbers)[];
  /** Most tokens first. */
  byAgent: ({ agentSlug: string } & UsageNumbers)[];
  byModel: ({ modelId: string } & UsageNumbers)[];
  totals: UsageNumbers;
};

export const USAGE_WINDOW_DAYS = 30;

const DAY_MS = 86_400_000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

const sums = {
  inputTokens: sql<number>`coalesce(sum(${modelCalls.inputTokens}), 0)::bigint`,
  outputTokens: sql<number>`coalesce(sum(${modelCalls.outputTokens}), 0)::bigint`,
  costUsd: sql<number>`coalesce(sum(${modelCalls.costUsd}), 0)::float8`,
  calls: sql<number>`count(*)::int`,
};

const numbers = (r: UsageNumbers): UsageNumbers => ({
  inputTokens: Number(r.inputTokens),
  outputTokens: Number(r.outputTokens),
  costUsd: Number(r.costUsd),
  calls: Number(r.calls),
});

const byTokens = (a: UsageNumbers, b: UsageNumbers) =>
  b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens);

/** The organization's model usage over the last `days` days (today included), from model_calls. */
export async function getOrgUsage(
  ctx: OrgContext,
  opts: { days?: number; now?: Date } = {},
): Promise<OrgUsage> {
  const days = opts.days ?? USAGE_WINDOW_DAYS;
  const now = opts.now ?? new Date();
  const first = new Date(Date.parse(dayOf(now)) - (days - 1) * DAY_MS);
  const where = and(eq(modelCalls.orgId, ctx.org.id), gte(modelCalls.createdAt, first));
  const day = sql<string>`to_char(${modelCalls.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;

  const [dayRows, agentRows, modelRows] = await ctx.tx(async (tx) => [
    await tx
      .select({ day, ...sums })
      .from(modelCalls)
      .where(where)
      .groupBy(day),
    await tx
      .select({ agentSlug: modelCalls.agentSlug, ...sums })
      .from(modelCalls)
      .where(where)
      .groupBy(modelCalls.agentSlug),
    await tx
      .select({ modelId: modelCalls.modelId, ...sums })
      .from(modelCalls)
      .where(where)
      .groupBy(modelCalls.modelId),
  ]);

  const perDay = new Map(dayRows.map((r) => [r.day, numbers(r)]));
  const zero: UsageNumbers = { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 };
  const byDay = Array.from({ length: days }, (_, i) => {
    const d = dayOf(new Date(first.getTime() + i * DAY_MS));
    return { day: d, ...(perDay.get(d) ?? zero) };
  });
  const totals = byDay.reduce(
    (t, d) => ({
      inputTokens: t.inputTokens + d.inputTokens,
      outputTokens: t.outputTokens + d.outputTokens,
      costUsd: t.costUsd + d.costUsd,
      calls: t.calls + d.calls,
    }),
    zero,
  );
  return {
    byDay,
    byAgent: agentRows.map((r) => ({ agentSlug: r.agentSlug, ...numbers(r) })).sort(byTokens),
    byModel: modelRows.map((r) => ({ modelId: r.modelId, ...numbers(r) })).sort(byTokens),
    totals,
  };
}
