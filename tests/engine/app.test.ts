import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { serve } from "inngest/next";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cancelRunAction, replayRunAction } from "@/app/(app)/admin/engine/actions";
import { isInstanceAdmin, requireInstanceAdmin } from "@/app/(app)/admin/engine/instance-admin";
import { getDb, withTenant } from "@/db";
import { authTokens, rateLimits, signInAttempts, users } from "@/db/schema";
import { functions } from "@/inngest";
import { inngest } from "@/inngest/client";
import { authCleanupRequested } from "@/inngest/events";
import {
  EMBEDDED_BASE_URL,
  runningEngine,
  startEmbeddedEngine,
  stopEmbeddedEngine,
} from "@/lib/engine/embedded";
import { rows } from "@/lib/engine/store";
import { ulid } from "@/lib/engine/time";
import { createUser } from "@/tests/support/factories";
import { actAs } from "@/tests/support/session";
import { finishedRuns, resetEngineTables, runsOf } from "./support/harness";

/** The app's own wiring: its client, its functions, the engine in the process, the operator actions. */

const ADMIN_EMAIL = "engine-operator@example.test";
vi.hoisted(() => {
  process.env.INSTANCE_ADMIN_EMAILS = "Engine-Operator@example.test, someone-else@example.test";
});

const CLEANUP = "dafnckmachine-cleanup-auth-records";

async function adminUser() {
  const db = await getDb();
  await db
    .insert(users)
    .values({ email: ADMIN_EMAIL, name: "Operator", emailVerified: new Date() })
    .onConflictDoUpdate({ target: users.email, set: { emailVerified: new Date() } });
  const [u] = await db.select().from(users).where(sql`${users.email} = ${ADMIN_EMAIL}`);
  return { id: u?.id as string, email: ADMIN_EMAIL, name: "Operator" };
}

async function insertRun(status: "running" | "failed" | "completed") {
  const db = await getDb();
  const id = ulid();
  const event = JSON.stringify({ name: authCleanupRequested.name, data: {}, id: ulid(), ts: Date.now() });
  await db.execute(
    sql`insert into engine_runs (id, function_id, status, event) values (${id}, ${CLEANUP}, ${status}, ${event})`,
  );
  return id;
}

async function statusOf(runId: string) {
  const db = await getDb();
  const [row] = await rows<{ status: string }>(db, sql`select status from engine_runs where id = ${runId}`);
  return row?.status;
}

beforeAll(async () => {
  await resetEngineTables();
  const handler = serve({ client: inngest, functions });
  await startEmbeddedEngine((req) => handler(req as never, undefined));
});
afterAll(() => stopEmbeddedEngine());

describe("the app's client and functions on the embedded engine", () => {
  it("configures the client for the embedded engine when no Inngest is configured", () => {
    expect(inngest.mode).toBe("cloud");
    expect(inngest.eventBaseUrl).toBe(EMBEDDED_BASE_URL);
    expect(inngest.signingKey).toMatch(/^signkey-local-[0-9a-f]{64}$/);
  });

  it("registers every function, with the nightly cleanup on its cron schedule", async () => {
    const engine = await runningEngine();
    // A function with an onFailure handler also registers its `-failure` function.
    const registered = [...(engine?.registry.functions.keys() ?? [])];
    expect(registered.filter((id) => !id.endsWith("-failure"))).toEqual(
      functions.map((f) => f.id("dafnckmachine")),
    );
    expect(registered).toContain("dafnckmachine-agent-run-failure");
    const db = await getDb();
    const [job] = await rows<{ due_ms: number }>(
      db,
      sql`select extract(epoch from available_at)::float8 * 1000 as due_ms from engine_jobs where kind = 'cron' and function_id = ${CLEANUP}`,
    );
    const due = new Date(job?.due_ms ?? 0);
    expect([due.getUTCHours(), due.getUTCMinutes()]).toEqual([3, 0]);
  });

  it("cleans up expired auth tokens and old sign-in attempts when asked by a typed event", async () => {
    const db = await getDb();
    const user = await createUser();
    const day = 86_400_000;
    const [expired, valid] = await db
      .insert(authTokens)
      .values([
        {
          userId: user.id,
          kind: "reset_password",
          tokenHash: randomUUID(),
          expiresAt: new Date(Date.now() - day),
        },
        {
          userId: user.id,
          kind: "reset_password",
          tokenHash: randomUUID(),
          expiresAt: new Date(Date.now() + day),
        },
      ])
      .returning();
    const [old, recent] = await db
      .insert(signInAttempts)
      .values([
        { email: user.email, success: false, createdAt: new Date(Date.now() - 31 * day) },
        { email: user.email, success: false },
      ])
      .returning();

    const limitKey = `test:${randomUUID()}`;
    await db.insert(rateLimits).values([
      { key: `${limitKey}:expired`, points: 3, expire: new Date(Date.now() - 1000) },
      { key: `${limitKey}:live`, points: 3, expire: new Date(Date.now() + day) },
    ]);

    await inngest.send(authCleanupRequested.create({ reason: "test" }));
    const [run] = await finishedRuns(CLEANUP);
    expect(run?.status).toBe("completed");
    const output = JSON.parse(run?.output ?? "{}");
    expect(output.tokens).toBeGreaterThanOrEqual(1);
    expect(output.attempts).toBeGreaterThanOrEqual(1);

    const tokens = await db
      .select({ id: authTokens.id })
      .from(authTokens)
      .where(sql`${authTokens.userId} = ${user.id}`);
    expect(tokens.map((t) => t.id)).toEqual([valid?.id]);
    expect(tokens.map((t) => t.id)).not.toContain(expired?.id);
    const attempts = await db
      .select({ id: signInAttempts.id })
      .from(signInAttempts)
      .where(sql`${signInAttempts.email} = ${user.email}`);
    expect(attempts.map((a) => a.id)).toEqual([recent?.id]);
    expect(attempts.map((a) => a.id)).not.toContain(old?.id);
    expect(output.rateLimits).toBeGreaterThanOrEqual(1);
    const counters = await db
      .select({ key: rateLimits.key })
      .from(rateLimits)
      .where(sql`${rateLimits.key} like ${`${limitKey}:%`}`);
    expect(counters.map((c) => c.key)).toEqual([`${limitKey}:live`]);
  });

  it("rejects event payloads that do not match the event's schema", async () => {
    await inngest.send({ name: authCleanupRequested.name, data: { reason: 42 } });
    const runs = await finishedRuns(CLEANUP, 2);
    const bad = runs.find((r) => r.status === "failed");
    expect(bad?.error?.message).toMatch(/reason|expected string/i);
  });

  it("keeps engine tables out of reach of the app role (not tenant tables)", async () => {
    const error = await withTenant({ orgId: randomUUID() }, (tx) =>
      tx.execute(sql`select 1 from engine_runs limit 1`),
    ).catch((e: Error & { cause?: Error }) => e);
    expect(String((error as Error & { cause?: Error }).cause ?? error)).toMatch(/permission denied/);
  });
});

describe("operator actions (instance admins only)", () => {
  it("recognizes instance admins by email, case-insensitively", async () => {
    expect(await isInstanceAdmin(await adminUser())).toBe(true);
    expect(await isInstanceAdmin(await createUser())).toBe(false);
    expect(await isInstanceAdmin(null)).toBe(false);
    actAs(await createUser());
    await expect(requireInstanceAdmin()).rejects.toMatchObject({ digest: expect.stringMatching(/404/) });
    actAs(await adminUser());
    await expect(requireInstanceAdmin()).resolves.toMatchObject({ email: ADMIN_EMAIL });
  });

  it("does not trust an operator address until it is verified", async () => {
    const admin = await adminUser();
    const db = await getDb();
    await db.update(users).set({ emailVerified: null }).where(sql`${users.email} = ${ADMIN_EMAIL}`);
    expect(await isInstanceAdmin(admin)).toBe(false);
    actAs(admin);
    await expect(requireInstanceAdmin()).rejects.toMatchObject({ digest: expect.stringMatching(/404/) });
    await adminUser();
  });

  it("answers 404 to anyone who is not an instance admin, and changes nothing", async () => {
    const runId = await insertRun("running");
    actAs(null);
    expect(await cancelRunAction({ runId })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    actAs(await createUser("Member of some org"));
    expect(await cancelRunAction({ runId })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await replayRunAction({ runId })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await statusOf(runId)).toBe("running");
  });

  it("cancels an active run once", async () => {
    const runId = await insertRun("running");
    actAs(await adminUser());
    expect(await cancelRunAction({ runId })).toEqual({ ok: true, data: { runId } });
    expect(await statusOf(runId)).toBe("cancelled");
    expect(await cancelRunAction({ runId })).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(await cancelRunAction({ runId: ulid() })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await cancelRunAction({ runId: "nope" })).toMatchObject({
      ok: false,
      error: { code: "validation", fieldErrors: { runId: ["Not a run id"] } },
    });
  });

  it("replays a failed run, and refuses to replay a completed one", async () => {
    const failed = await insertRun("failed");
    const completed = await insertRun("completed");
    actAs(await adminUser());
    expect(await replayRunAction({ runId: completed })).toMatchObject({
      ok: false,
      error: { code: "conflict" },
    });
    const result = await replayRunAction({ runId: failed });
    expect(result.ok).toBe(true);
    const replayId = result.ok ? result.data.runId : "";
    const replay = await finishedRuns(CLEANUP, 1).then(async () => {
      for (;;) {
        const run = (await runsOf(CLEANUP)).find((r) => r.id === replayId);
        if (run && run.status !== "queued" && run.status !== "running") return run;
        await new Promise((r) => setTimeout(r, 25));
      }
    });
    expect(replay.status).toBe("completed");
    expect(replay.replay_of).toBe(failed);
  });
});
