import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { apiKeys, auditLogs, memberships } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { resolveOrgContext } from "@/lib/orgs/context";
import { mintApiKey } from "@/tests/support/api-keys";
import { createTeam } from "@/tests/support/factories";
import { authenticateApiKey } from "./authenticate";
import { createApiKey } from "./create-api-key";
import { presentedApiKey } from "./credentials";
import { generateApiKey, parseApiKey } from "./format";
import { apiKeyContext, requireScope } from "./key-context";
import { listApiKeys } from "./list-api-keys";
import { revokeApiKey } from "./revoke-api-key";
import { createApiKeyInput } from "./schemas";

const meta = { ip: "198.51.100.7", userAgent: "vitest" };

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("api key format", () => {
  it("parses only keys of our shape and hashes the whole key", () => {
    const k = generateApiKey();
    expect(k.key).toMatch(/^dmk_[0-9a-f]{12}_/);
    expect(parseApiKey(k.key)).toEqual({ prefix: k.prefix, hash: k.hash });
    expect(parseApiKey(`${k.key}x`)).toBeNull();
    expect(parseApiKey("dmk_zzzzzzzzzzzz_abc")).toBeNull();
    expect(parseApiKey("")).toBeNull();
  });

  it("reads a bearer token or the password of HTTP Basic", () => {
    const h = (v: string) => new Headers({ authorization: v });
    expect(presentedApiKey(h("Bearer dmk_x"))).toBe("dmk_x");
    expect(presentedApiKey(h(`Basic ${Buffer.from("git:dmk_y").toString("base64")}`))).toBe("dmk_y");
    expect(presentedApiKey(h("Token abc"))).toBeNull();
    expect(presentedApiKey(new Headers())).toBeNull();
  });

  it("validates the creation input with field messages", () => {
    const r = createApiKeyInput.safeParse({ name: "", scopes: ["runs.fly"], expiresInDays: 0 });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["name", "scopes.0", "expiresInDays"]));
  });
});

describe("api keys", () => {
  it("stores only the hash, shows the secret once, lists without it, and audits", async () => {
    const t = await createTeam();
    const key = await mintApiKey(t.admin, t.org.slug, ["projects.read", "runs.read"], { name: "CI" });
    const db = await getDb();
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row?.secretHash).not.toContain(key.secret);
    expect(JSON.stringify(row)).not.toContain(key.secret.split("_")[2]);
    const ctx = await resolveOrgContext(t.owner, t.org.slug, "api_keys.manage", meta);
    const listed = await listApiKeys(ctx);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: "CI", prefix: key.prefix, status: "active" });
    expect(JSON.stringify(listed)).not.toContain(key.secret.split("_")[2]);
    expect(JSON.stringify(listed)).not.toContain(row?.secretHash);
    const audit = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, t.org.id), eq(auditLogs.action, "api_key.create")));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]?.metadata)).not.toContain(key.secret);
  });

  it("never mints a key above its creator's role", async () => {
    const t = await createTeam();
    // An admin has api_keys.manage but not billing.manage or org.delete.
    const ctx = await resolveOrgContext(t.admin, t.org.slug, "api_keys.manage", meta);
    const e = await rejection(
      createApiKey(ctx, { name: "x", scopes: ["runs.read", "billing.manage"], expiresInDays: null }),
    );
    expect(e.code).toBe("validation");
    expect(e.fieldErrors?.scopes?.[0]).toContain("billing.manage");
    // A member cannot manage keys at all.
    expect((await rejection(resolveOrgContext(t.member, t.org.slug, "api_keys.manage", meta))).code).toBe(
      "forbidden",
    );
  });

  it("authenticates a key to its org and scopes, and refuses wrong, revoked and expired keys alike", async () => {
    const t = await createTeam();
    const key = await mintApiKey(t.admin, t.org.slug, ["projects.read"]);
    const p = await authenticateApiKey(key.secret, meta);
    expect(p.org.id).toBe(t.org.id);
    expect([...p.permissions]).toEqual(["projects.read"]);
    const ctx = apiKeyContext(p, meta);
    expect(ctx.can("projects.read")).toBe(true);
    expect(ctx.can("projects.write")).toBe(false);
    expect(() => requireScope(ctx, "runs.start")).toThrow(/lacks the "runs.start" scope/);

    const tampered = `${key.secret.slice(0, -1)}${key.secret.endsWith("A") ? "B" : "A"}`;
    expect((await rejection(authenticateApiKey(tampered, meta))).code).toBe("unauthenticated");
    expect((await rejection(authenticateApiKey("nope", meta))).code).toBe("unauthenticated");

    const owner = await resolveOrgContext(t.owner, t.org.slug, "api_keys.manage", meta);
    await revokeApiKey(owner, key.id);
    await revokeApiKey(owner, key.id); // twice changes nothing
    expect((await rejection(authenticateApiKey(key.secret, meta))).code).toBe("unauthenticated");

    const soon = await mintApiKey(t.admin, t.org.slug, ["projects.read"], { expiresInDays: 1 });
    const db = await getDb();
    await db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, soon.id));
    expect((await rejection(authenticateApiKey(soon.secret, meta))).code).toBe("unauthenticated");
    const revokes = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, t.org.id), eq(auditLogs.action, "api_key.revoke")));
    expect(revokes).toHaveLength(1);
  });

  it("acts no further than its creator's current role, and stops when the creator leaves", async () => {
    const t = await createTeam();
    const key = await mintApiKey(t.admin, t.org.slug, ["runs.start", "agents.manage"]);
    const db = await getDb();
    await db
      .update(memberships)
      .set({ role: "member" })
      .where(and(eq(memberships.orgId, t.org.id), eq(memberships.userId, t.admin.id)));
    const demoted = await authenticateApiKey(key.secret, meta);
    expect([...demoted.permissions]).toEqual(["runs.start"]);
    await db
      .delete(memberships)
      .where(and(eq(memberships.orgId, t.org.id), eq(memberships.userId, t.admin.id)));
    expect((await rejection(authenticateApiKey(key.secret, meta))).code).toBe("unauthenticated");
  });

  it("another org cannot see or revoke a key", async () => {
    const t = await createTeam();
    const key = await mintApiKey(t.admin, t.org.slug, ["projects.read"]);
    const other = await resolveOrgContext(t.outsider, t.otherOrg.slug, "api_keys.manage", meta);
    expect(await listApiKeys(other)).toHaveLength(0);
    expect((await rejection(revokeApiKey(other, key.id))).code).toBe("not_found");
  });
});
