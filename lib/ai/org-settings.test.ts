import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { generateText, streamText } from "ai";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveAiSettingsAction } from "@/app/(app)/[org]/settings/ai/actions";
import { GET, PUT } from "@/app/api/orgs/[org]/ai-settings/route";
import { getDb } from "@/db";
import { auditLogs, orgAiSettings } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto";
import { UNREACHABLE_MESSAGE } from "@/lib/net/vet-url";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { auditCount, errorOf, jsonRequest, routeArgs } from "@/tests/support/org-helpers";
import { INTERNAL_URLS, METADATA_URL, startRedirectServer } from "@/tests/support/redirect-server";
import { actAs } from "@/tests/support/session";
import { DEMO_MODEL_LABEL } from "./demo-label";
import { describeRunModel, getOrgRunSettings, installWithNetwork, resolveRunModel } from "./org-settings";

const KEY = "sk-test-very-secret-key-0123456789";
const settings = (overrides: Record<string, unknown> = {}) => ({
  providerKind: "openai",
  apiKey: KEY,
  modelStandard: "gpt-5.1",
  defaultTokenBudget: 50_000,
  maxConcurrentRuns: 3,
  standards: "Use TypeScript strict mode.",
  ...overrides,
});

const put = (slug: string, body: unknown) =>
  PUT(jsonRequest(`/api/orgs/${slug}/ai-settings`, "PUT", body), routeArgs({ org: slug }));
const get = (slug: string) =>
  GET(jsonRequest(`/api/orgs/${slug}/ai-settings`, "GET"), routeArgs({ org: slug }));

async function storedRow(orgId: string) {
  const db = await getDb();
  const [row] = await db.select().from(orgAiSettings).where(eq(orgAiSettings.orgId, orgId));
  return row;
}

describe("organization AI settings", () => {
  it("defaults to the demo model when nothing is configured", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const res = await get(t.org.slug);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      provider: null,
      hasKey: false,
      defaultTokenBudget: 200_000,
      maxConcurrentRuns: 2,
    });
    expect(body.effective).toEqual({ usesDemoModel: true, modelLabel: DEMO_MODEL_LABEL });
    expect(await describeRunModel(t.org.id)).toEqual({ usesDemoModel: true, modelLabel: DEMO_MODEL_LABEL });
    expect((await resolveRunModel(t.org.id, "standard")).isDemo).toBe(true);
  });

  it("stores the provider key encrypted, never returns it, and resolves runs to the provider", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const res = await put(t.org.slug, settings());
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(KEY);
    expect(JSON.parse(text)).toMatchObject({
      hasKey: true,
      provider: { kind: "openai", hasKey: true, models: { standard: "gpt-5.1" } },
      effective: { usesDemoModel: false },
    });

    const row = await storedRow(t.org.id);
    expect(row?.apiKeyEncrypted).toBeTruthy();
    expect(row?.apiKeyEncrypted).not.toContain(KEY);
    expect(JSON.stringify(row?.provider)).not.toContain(KEY);
    expect(decryptSecret(row?.apiKeyEncrypted ?? "")).toBe(KEY);
    expect(await auditCount(t.org.id, "ai_settings.update")).toBe(1);

    const read = await (await get(t.org.slug)).text();
    expect(read).not.toContain(KEY);
    expect(read).not.toContain(row?.apiKeyEncrypted ?? "-");

    const resolved = await resolveRunModel(t.org.id, "standard");
    expect(resolved).toMatchObject({ provider: "openai", modelId: "gpt-5.1", isDemo: false });
    expect((await resolveRunModel(t.org.id, "deep", { modelId: "gpt-5.2" })).modelId).toBe("gpt-5.2");
    expect(await describeRunModel(t.org.id)).toMatchObject({ usesDemoModel: false });
    expect(await getOrgRunSettings(t.org.id)).toEqual({
      defaultTokenBudget: 50_000,
      maxConcurrentRuns: 3,
      standards: "Use TypeScript strict mode.",
    });

    // A blank key keeps the stored one; clearing it leaves a provider that cannot be used.
    expect((await put(t.org.slug, settings({ apiKey: "", maxConcurrentRuns: 4 }))).status).toBe(200);
    expect(decryptSecret((await storedRow(t.org.id))?.apiKeyEncrypted ?? "")).toBe(KEY);
    const cleared = await put(t.org.slug, settings({ apiKey: "", clearKey: true }));
    expect(cleared.status).toBe(422);
    expect((await errorOf(cleared)).fieldErrors?.apiKey).toBeDefined();

    // Back to the instance's provider: the key is dropped.
    expect((await put(t.org.slug, settings({ providerKind: "instance", apiKey: "" }))).status).toBe(200);
    expect((await storedRow(t.org.id))?.apiKeyEncrypted).toBeNull();
    expect((await resolveRunModel(t.org.id, "standard")).isDemo).toBe(true);
  });

  it("saves through the server action too, with field errors for bad input", async () => {
    const t = await createTeam();
    actAs(t.owner);
    const saved = await saveAiSettingsAction(t.org.slug, settings());
    expect(saved.ok).toBe(true);
    expect(JSON.stringify(saved)).not.toContain(KEY);
    const bad = await saveAiSettingsAction(
      t.org.slug,
      settings({ providerKind: "openai-compatible", baseURL: "nope", apiKey: "", defaultTokenBudget: 10 }),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: "validation" } });
    expect(Object.keys((!bad.ok && bad.error.fieldErrors) || {}).sort()).toEqual(["defaultTokenBudget"]);
    const badUrl = await saveAiSettingsAction(
      t.org.slug,
      settings({ providerKind: "openai-compatible", baseURL: "nope", apiKey: "" }),
    );
    expect(!badUrl.ok && badUrl.error.fieldErrors?.baseURL).toBeTruthy();
    expect(await auditCount(t.org.id, "ai_settings.update")).toBe(1);
  });

  it("answers 404 to another organization and 403 to members and viewers", async () => {
    const t = await createTeam();
    actAs(t.outsider);
    expect((await get(t.org.slug)).status).toBe(404);
    expect((await put(t.org.slug, settings())).status).toBe(404);
    expect(await saveAiSettingsAction(t.org.slug, settings())).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      expect((await get(t.org.slug)).status).toBe(403);
      expect((await put(t.org.slug, settings())).status).toBe(403);
      expect(await saveAiSettingsAction(t.org.slug, settings())).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
    }
    expect(await storedRow(t.org.id)).toBeUndefined();
    expect(await auditCount(t.org.id)).toBe(0);
  });
});

describe("an organization's model server URL", () => {
  // A local OpenAI-compatible server that streams one reply (stands in for Ollama on the LAN).
  const modelServer = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const delta = (content: string, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 0, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;
    res.write(delta("Hello"));
    res.end(`${delta(" there", "stop")}data: [DONE]\n\n`);
  });
  let modelUrl = "";
  let redirect: Awaited<ReturnType<typeof startRedirectServer>>;
  const compatible = (baseURL: string) =>
    settings({ providerKind: "openai-compatible", name: "ollama", baseURL, apiKey: "", modelStandard: "m" });

  beforeAll(async () => {
    await new Promise<void>((r) => modelServer.listen(0, "127.0.0.1", r));
    modelUrl = `http://127.0.0.1:${(modelServer.address() as AddressInfo).port}/v1`;
    redirect = await startRedirectServer(METADATA_URL);
  });
  afterAll(async () => {
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: undefined });
    await redirect.stop();
    await new Promise((r) => modelServer.close(r));
  });

  it("refuses internal base URLs on save (API and action) with one message, saving nothing", async () => {
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "0" });
    const t = await createTeam();
    actAs(t.admin);
    for (const baseURL of [...INTERNAL_URLS, "http://localhost:11434/v1", METADATA_URL, modelUrl]) {
      const res = await put(t.org.slug, compatible(baseURL));
      expect(res.status, baseURL).toBe(422);
      const text = await res.text();
      expect(JSON.parse(text).error.fieldErrors).toEqual({ baseURL: [UNREACHABLE_MESSAGE] });
      expect(text).not.toMatch(/ECONNREFUSED|5432|169\.254|127\.0\.0\.1|::1/);
      const viaAction = await saveAiSettingsAction(t.org.slug, compatible(baseURL));
      expect(viaAction).toMatchObject({
        ok: false,
        error: { code: "validation", fieldErrors: { baseURL: [UNREACHABLE_MESSAGE] } },
      });
    }
    const ftp = await put(t.org.slug, compatible("ftp://models.example.com/v1"));
    expect((await errorOf(ftp)).fieldErrors?.baseURL).toEqual([
      "The address must start with https:// or http://.",
    ]);
    expect(await storedRow(t.org.id)).toBeUndefined();
    expect(await auditCount(t.org.id)).toBe(0);
  });

  it("sends the organization's model calls through the guard: a LAN server streams, internal targets are refused", async () => {
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    const t = await createTeam();
    actAs(t.admin);
    expect((await put(t.org.slug, compatible(modelUrl))).status).toBe(200);
    const streamed = streamText({ model: (await resolveRunModel(t.org.id, "standard")).model, prompt: "Hi" });
    expect(await streamed.text).toBe("Hello there");

    // Saved while allowed, refused once the operator turns the setting off (checked per request).
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "0" });
    const refused = generateText({
      model: (await resolveRunModel(t.org.id, "standard")).model,
      prompt: "Hi",
      maxRetries: 0,
    });
    await expect(refused).rejects.toThrow(UNREACHABLE_MESSAGE);

    // A server that redirects the call to cloud metadata: refused at the redirect, even when allowed.
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    expect((await put(t.org.slug, compatible(`${redirect.url}/v1`))).status).toBe(200);
    const redirected = generateText({
      model: (await resolveRunModel(t.org.id, "standard")).model,
      prompt: "Hi",
      maxRetries: 0,
    });
    await expect(redirected).rejects.toThrow(UNREACHABLE_MESSAGE);
  });
});

describe("the install step's network (org setting)", () => {
  const demo = (overrides: Record<string, unknown> = {}) =>
    settings({ providerKind: "demo", apiKey: "", ...overrides });

  async function networkAudits(orgId: string) {
    const db = await getDb();
    const rows = await db.select().from(auditLogs).where(eq(auditLogs.orgId, orgId));
    return rows
      .filter((r) => r.action === "ai_settings.install_with_network")
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((r) => ({ actor: r.actorEmail, metadata: r.metadata }));
  }

  it("is off by default, saved when turned on and off, and each change audited with who and what", async () => {
    const t = await createTeam();
    actAs(t.admin);
    expect(await installWithNetwork(t.org.id)).toBe(false);
    expect((await (await get(t.org.slug)).json()).installWithNetwork).toBe(false);

    const on = await put(t.org.slug, demo({ installWithNetwork: true }));
    expect(on.status).toBe(200);
    expect((await on.json()).installWithNetwork).toBe(true);
    expect((await storedRow(t.org.id))?.installWithNetwork).toBe(true);
    expect(await installWithNetwork(t.org.id)).toBe(true);

    // Left out, it stays as it is, and saving other fields writes no network entry.
    expect((await put(t.org.slug, demo({ maxConcurrentRuns: 5 }))).status).toBe(200);
    expect(await installWithNetwork(t.org.id)).toBe(true);
    // The same value again is no change either.
    expect((await put(t.org.slug, demo({ installWithNetwork: "on" }))).status).toBe(200);

    actAs(t.owner);
    expect(await saveAiSettingsAction(t.org.slug, demo({ installWithNetwork: false }))).toMatchObject({
      ok: true,
      data: { installWithNetwork: false },
    });
    expect(await installWithNetwork(t.org.id)).toBe(false);

    expect(await networkAudits(t.org.id)).toEqual([
      {
        actor: t.admin.email,
        metadata: { installWithNetwork: true, change: "Install step with network turned on" },
      },
      {
        actor: t.owner.email,
        metadata: { installWithNetwork: false, change: "Install step with network turned off" },
      },
    ]);
    expect(await auditCount(t.org.id, "ai_settings.update")).toBe(4);
  });

  it.each([["maybe"], [42], [null], [{ on: true }]])(
    "refuses installWithNetwork=%j with 422",
    async (value) => {
      const t = await createTeam();
      actAs(t.admin);
      const res = await put(t.org.slug, demo({ installWithNetwork: value }));
      expect(res.status).toBe(422);
      expect((await errorOf(res)).fieldErrors?.installWithNetwork).toBeDefined();
      const action = await saveAiSettingsAction(t.org.slug, demo({ installWithNetwork: value }));
      expect(!action.ok && action.error.fieldErrors?.installWithNetwork).toBeTruthy();
      expect(await storedRow(t.org.id)).toBeUndefined();
      expect(await auditCount(t.org.id)).toBe(0);
    },
  );

  it("refuses members and viewers (403) and another organization (404), changing nothing", async () => {
    const t = await createTeam();
    const other = await createTeam();
    actAs(other.admin);
    expect((await put(t.org.slug, demo({ installWithNetwork: true }))).status).toBe(404);
    expect(await saveAiSettingsAction(t.org.slug, demo({ installWithNetwork: true }))).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      expect((await put(t.org.slug, demo({ installWithNetwork: true }))).status).toBe(403);
      expect(await saveAiSettingsAction(t.org.slug, demo({ installWithNetwork: true }))).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
    }
    expect(await installWithNetwork(t.org.id)).toBe(false);
    expect(await auditCount(t.org.id)).toBe(0);
    expect(await auditCount(other.org.id)).toBe(0);
  });
});
