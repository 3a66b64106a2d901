import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { modelCalls } from "@/db/schema";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createTeam } from "@/tests/support/factories";
import { getOrgUsage } from "./queries";

const meta = { ip: null, userAgent: "vitest" };
const DAY = 86_400_000;

describe("org usage", () => {
  it("sums the last 30 days of model calls by day, agent and model, for this organization only", async () => {
    const t = await createTeam();
    const now = new Date("2026-11-24T12:00:00Z");
    const call = (orgId: string, agentSlug: string, modelId: string, daysAgo: number, tokens: number) => ({
      orgId,
      agentSlug,
      provider: "demo",
      modelId,
      inputTokens: tokens,
      outputTokens: tokens / 2,
      costUsd: tokens / 1_000_000,
      latencyMs: 10,
      createdAt: new Date(now.getTime() - daysAgo * DAY),
    });
    const db = await getDb();
    await db.insert(modelCalls).values([
      call(t.org.id, "system-architect", "demo", 0, 1_000),
      call(t.org.id, "system-architect", "demo", 0, 2_000),
      call(t.org.id, "orchestrator", "gpt-x", 3, 4_000),
      call(t.org.id, "orchestrator", "gpt-x", 30, 8_000), // outside the window
      call(t.otherOrg.id, "orchestrator", "gpt-x", 0, 16_000),
    ]);
    const ctx = await resolveOrgContext(t.viewer, t.org.slug, "runs.read", meta);
    const usage = await getOrgUsage(ctx, { now });
    expect(usage.byDay).toHaveLength(30);
    expect(usage.byDay[0]?.day).toBe("2026-10-26");
    expect(usage.byDay[29]).toEqual({
      day: "2026-11-24",
      inputTokens: 3_000,
      outputTokens: 1_500,
      costUsd: 0.003,
      calls: 2,
    });
    expect(usage.byDay[26]).toMatchObject({ day: "2026-11-21", inputTokens: 4_000 });
    expect(usage.byDay[10]).toMatchObject({ inputTokens: 0, calls: 0 });
    expect(usage.byAgent.map((a) => [a.agentSlug, a.inputTokens])).toEqual([
      ["orchestrator", 4_000],
      ["system-architect", 3_000],
    ]);
    expect(usage.byModel.map((m) => [m.modelId, m.calls])).toEqual([
      ["gpt-x", 1],
      ["demo", 2],
    ]);
    expect(usage.totals).toMatchObject({ inputTokens: 7_000, outputTokens: 3_500, calls: 3 });
  });
});
