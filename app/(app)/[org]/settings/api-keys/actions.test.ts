import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { apiKeys } from "@/db/schema";
import { authenticateApiKey } from "@/lib/api-keys/authenticate";
import { createTeam } from "@/tests/support/factories";
import { auditCount, rowCount } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

const meta = { ip: "198.51.100.7", userAgent: "vitest" };

beforeAll(async () => {
  await getDb();
});

describe("API keys settings actions", () => {
  it("an admin creates a key: the secret comes back once, works, and only its hash is stored", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const result = await createApiKeyAction(t.org.slug, {
      name: "CI",
      scopes: ["runs.read", "runs.start"],
      expiresInDays: 30,
    });
    if (!result.ok) throw new Error(result.error.message);
    const { key, secret } = result.data;
    expect(secret).toMatch(/^dmk_[0-9a-f]{12}_/);
    expect(key.prefix).toBe(secret.slice(4, 16));
    expect(JSON.stringify(key)).not.toContain(secret.slice(17));
    const [row] = await (await getDb()).select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row?.secretHash).not.toContain(secret.slice(17));
    const principal = await authenticateApiKey(secret, meta);
    expect([...principal.permissions].sort()).toEqual(["runs.read", "runs.start"]);
    expect(await auditCount(t.org.id, "api_key.create")).toBe(1);
  });

  it("refuses bad input with field messages and creates nothing", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const cases: [unknown, string][] = [
      [{ name: "", scopes: ["runs.read"] }, "name"],
      [{ name: "x", scopes: [] }, "scopes"],
      [{ name: "x", scopes: ["runs.everything"] }, "scopes.0"],
      [{ name: "x", scopes: ["runs.read"], expiresInDays: 0 }, "expiresInDays"],
      [{ name: "x", scopes: ["runs.read"], expiresInDays: 10_000 }, "expiresInDays"],
      // An admin cannot mint a key with an owner-only scope.
      [{ name: "x", scopes: ["billing.manage"] }, "scopes"],
    ];
    for (const [input, field] of cases) {
      const result = await createApiKeyAction(t.org.slug, input);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect(Object.keys(result.error.fieldErrors ?? {})).toContain(field);
    }
    expect(await rowCount(apiKeys, eq(apiKeys.orgId, t.org.id))).toBe(0);
  });

  it("members and viewers cannot create or revoke keys; outsiders do not see the org", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const created = await createApiKeyAction(t.org.slug, { name: "k", scopes: ["runs.read"] });
    if (!created.ok) throw new Error(created.error.message);
    for (const [user, code] of [
      [t.member, "forbidden"],
      [t.viewer, "forbidden"],
      [t.outsider, "not_found"],
    ] as const) {
      actAs(user);
      const c = await createApiKeyAction(t.org.slug, { name: "k", scopes: ["runs.read"] });
      expect(c.ok ? null : c.error.code).toBe(code);
      const r = await revokeApiKeyAction(t.org.slug, { id: created.data.key.id });
      expect(r.ok ? null : r.error.code).toBe(code);
    }
    expect(await rowCount(apiKeys, eq(apiKeys.orgId, t.org.id))).toBe(1);
  });

  it("revoking makes the key fail at once, is audited once, and another org's admin cannot revoke it", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const created = await createApiKeyAction(t.org.slug, { name: "k", scopes: ["runs.read"] });
    if (!created.ok) throw new Error(created.error.message);
    actAs(t.outsider);
    const foreign = await revokeApiKeyAction(t.otherOrg.slug, { id: created.data.key.id });
    expect(foreign.ok ? null : foreign.error.code).toBe("not_found");
    await expect(authenticateApiKey(created.data.secret, meta)).resolves.toBeTruthy();

    actAs(t.admin);
    const revoked = await revokeApiKeyAction(t.org.slug, { id: created.data.key.id });
    expect(revoked.ok && revoked.data.status).toBe("revoked");
    await expect(authenticateApiKey(created.data.secret, meta)).rejects.toMatchObject({
      code: "unauthenticated",
    });
    await revokeApiKeyAction(t.org.slug, { id: created.data.key.id });
    expect(await auditCount(t.org.id, "api_key.revoke")).toBe(1);
  });
});
