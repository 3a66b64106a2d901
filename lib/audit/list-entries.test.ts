import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLogs } from "@/db/schema";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createTeam } from "@/tests/support/factories";
import { allAuditEntries, listAuditEntries } from "./list-entries";
import { AUDIT_PAGE_SIZE, auditQuerySchema, encodeCursor } from "./schemas";

const meta = { ip: null, userAgent: null };

async function setup() {
  const t = await createTeam();
  const ctx = await resolveOrgContext(t.admin, t.org.slug, "audit.read", meta);
  return { t, ctx };
}

type Seed = { action: string; actorEmail?: string; at: string; metadata?: Record<string, unknown> };

async function seed(orgId: string, rows: Seed[]) {
  const db = await getDb();
  await db.insert(auditLogs).values(
    rows.map((r) => ({
      orgId,
      action: r.action,
      actorEmail: r.actorEmail ?? null,
      createdAt: new Date(r.at),
      metadata: r.metadata ?? {},
    })),
  );
}

function parse(query: Record<string, string>) {
  const { cursor, format: _format, ...filters } = auditQuerySchema.parse(query);
  return { filters, cursor };
}

describe("audit query", () => {
  const errors = (query: Record<string, string>) => {
    const r = auditQuerySchema.safeParse(query);
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  it("validates every parameter with a message", () => {
    expect(errors({})).toEqual({});
    expect(errors({ action: "", actor: "", from: "", to: "", cursor: "" })).toEqual({});
    expect(errors({ action: "project.explode" }).action).toMatch(/action/);
    expect(errors({ from: "yesterday" }).from).toMatch(/real date/);
    expect(errors({ to: "2026-02-30" }).to).toMatch(/real date/);
    expect(errors({ from: "2026-03-02", to: "2026-03-01" }).to).toMatch(/on or after/);
    expect(errors({ cursor: "garbage" }).cursor).toMatch(/first page/);
    expect(errors({ cursor: encodeCursor({ createdAt: "2026-01-01", id: "x" }) }).cursor).toBeDefined();
    expect(errors({ format: "xml" }).format).toMatch(/json or csv/);
  });
});

describe("listAuditEntries", () => {
  it("filters by action, actor email (any case, partial) and inclusive UTC days", async () => {
    const { t, ctx } = await setup();
    await seed(t.org.id, [
      { action: "project.create", actorEmail: "ada@example.test", at: "2026-03-01T00:00:00Z" },
      { action: "project.update", actorEmail: "ada@example.test", at: "2026-03-02T12:00:00Z" },
      { action: "project.create", actorEmail: "bob@example.test", at: "2026-03-03T23:59:59.999Z" },
      { action: "project.create", actorEmail: "x%y@example.test", at: "2026-03-04T00:00:00Z" },
    ]);
    await seed(t.otherOrg.id, [
      { action: "project.create", actorEmail: "ada@example.test", at: "2026-03-01T10:00:00Z" },
    ]);

    const emails = async (query: Record<string, string>) => {
      const { filters } = parse(query);
      return (await listAuditEntries(ctx, filters)).entries.map((e) => `${e.action} ${e.actorEmail}`);
    };
    expect(await emails({})).toHaveLength(4);
    expect(await emails({ action: "project.create" })).toEqual([
      "project.create x%y@example.test",
      "project.create bob@example.test",
      "project.create ada@example.test",
    ]);
    expect(await emails({ actor: "ADA@" })).toEqual([
      "project.update ada@example.test",
      "project.create ada@example.test",
    ]);
    expect(await emails({ actor: "%" })).toEqual(["project.create x%y@example.test"]);
    expect(await emails({ from: "2026-03-02", to: "2026-03-03" })).toEqual([
      "project.create bob@example.test",
      "project.update ada@example.test",
    ]);
    expect(await emails({ to: "2026-03-01" })).toEqual(["project.create ada@example.test"]);
    expect(await emails({ from: "2026-03-04" })).toEqual(["project.create x%y@example.test"]);
  });

  it("pages 50 at a time without skipping or repeating entries that share a millisecond", async () => {
    const { t, ctx } = await setup();
    await seed(
      t.org.id,
      Array.from({ length: 120 }, (_, n) => ({
        action: "org.update",
        at: "2026-01-01T00:00:00.123Z",
        metadata: { n },
      })),
    );
    // Spread them over microseconds inside one millisecond (and give some the very same instant).
    const db = await getDb();
    await db
      .update(auditLogs)
      .set({
        createdAt: sql`${auditLogs.createdAt} + (((${auditLogs.metadata}->>'n')::int / 2) * interval '1 microsecond')`,
      })
      .where(eq(auditLogs.orgId, t.org.id));

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { filters, cursor: decoded } = parse(cursor ? { cursor } : {});
      const page = await listAuditEntries(ctx, filters, decoded);
      expect(page.entries.length).toBeLessThanOrEqual(AUDIT_PAGE_SIZE);
      seen.push(...page.entries.map((e) => e.metadata.n as number));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);

    const batches: number[] = [];
    for await (const batch of allAuditEntries(ctx, {}, 7)) batches.push(batch.length);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(120);
  });
});
