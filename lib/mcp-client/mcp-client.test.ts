import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLogs, mcpServers, mcpToolGrants } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { UNREACHABLE_MESSAGE } from "@/lib/net/vet-url";
import { resolveOrgContext } from "@/lib/orgs/context";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { startMcpServer, type TestMcpServer } from "@/tests/support/mcp-server";
import { auditCount } from "@/tests/support/org-helpers";
import { INTERNAL_URLS, METADATA_URL, startRedirectServer } from "@/tests/support/redirect-server";
import { callMcpTool } from "./call-tool";
import { createMcpServer, MAX_MCP_SERVERS } from "./create-mcp-server";
import { deleteMcpServer } from "./delete-mcp-server";
import { MCP_LIMITS } from "./limits";
import { listMcpServers } from "./list-mcp-servers";
import { refreshMcpTools } from "./refresh-mcp-tools";
import { loadMcpRunTools } from "./run-tools";
import { setToolGrants } from "./set-tool-grants";
import { MAX_TOOL_NAME, mcpToolName } from "./tool-names";
import { updateMcpServer } from "./update-mcp-server";

const meta = { ip: "198.51.100.7", userAgent: "vitest" };
const TOKEN = "sk-test-mcp-token-123";
let mcp: TestMcpServer;

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const ctxOf = (user: Parameters<typeof resolveOrgContext>[0], slug: string) =>
  resolveOrgContext(user, slug, "org.read", meta);

beforeAll(async () => {
  await getDb();
  mcp = await startMcpServer({ bearer: TOKEN, slowMs: 3_000 });
});
afterAll(async () => {
  await mcp.stop();
  setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: undefined });
});
afterEach(() => setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: undefined }));

async function registered() {
  setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
  const t = await createTeam();
  const ctx = await ctxOf(t.admin, t.org.slug);
  const server = await createMcpServer(ctx, {
    name: "Tickets",
    url: mcp.url,
    headers: [{ name: "Authorization", value: `Bearer ${TOKEN}` }],
  });
  return { t, ctx, server };
}

describe("MCP servers registry", () => {
  it("stores the headers encrypted, returns only their names, and audits", async () => {
    const { t, ctx, server } = await registered();
    expect(server).toMatchObject({
      name: "Tickets",
      url: mcp.url,
      enabled: true,
      headerNames: ["Authorization"],
    });
    expect(JSON.stringify(server)).not.toContain(TOKEN);
    const db = await getDb();
    const [row] = await db.select().from(mcpServers).where(eq(mcpServers.id, server.id));
    expect(row?.headersEncrypted).toBeTruthy();
    expect(row?.headersEncrypted).not.toContain(TOKEN);
    expect(row?.headersEncrypted).not.toContain("Bearer");
    const listed = await listMcpServers(ctx);
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
    expect(await auditCount(t.org.id, "mcp_server.create")).toBe(1);
    const audits = await db.select().from(auditLogs).where(eq(auditLogs.orgId, t.org.id));
    expect(JSON.stringify(audits)).not.toContain(TOKEN);
  });

  it("refreshes the tool list over the SDK client with the stored bearer header", async () => {
    const { t, ctx, server } = await registered();
    const refreshed = await refreshMcpTools(ctx, { id: server.id });
    expect(refreshed.lastError).toBeNull();
    expect(refreshed.toolsRefreshedAt).not.toBeNull();
    expect(refreshed.tools.map((x) => x.name).sort()).toEqual(["lookup_ticket", "slow_report"]);
    const lookup = refreshed.tools.find((x) => x.name === "lookup_ticket");
    expect(lookup).toMatchObject({
      description: "Returns the status of a support ticket by its id.",
      inputSchema: { type: "object", properties: { ticketId: { type: "string" } }, required: ["ticketId"] },
    });
    expect(mcp.requests.some((h) => h.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(await auditCount(t.org.id, "mcp_server.refresh")).toBe(1);
  });

  it("records a clear lastError when the server refuses the credentials or is gone", async () => {
    const { ctx, server } = await registered();
    const wrong = await updateMcpServer(ctx, {
      id: server.id,
      headers: [{ name: "Authorization", value: "Bearer wrong" }],
    });
    expect(wrong.headerNames).toEqual(["Authorization"]);
    const refused = await refreshMcpTools(ctx, { id: server.id });
    expect(refused.lastError).toMatch(/refused the credentials \(HTTP 401\)/);
    expect(refused.tools).toEqual([]);

    const dead = await startMcpServer();
    await dead.stop();
    const moved = await updateMcpServer(ctx, { id: server.id, url: dead.url, headers: [] });
    const gone = await refreshMcpTools(ctx, { id: moved.id });
    expect(gone.lastError).toBe(UNREACHABLE_MESSAGE);
    expect(gone.lastError).not.toMatch(/at |Error:|ECONNREFUSED/);
  });

  it("keeps a header's stored value when its row is left blank, and removes rows left out", async () => {
    const { ctx, server } = await registered();
    const kept = await updateMcpServer(ctx, {
      id: server.id,
      headers: [
        { name: "Authorization", value: "" },
        { name: "X-Team", value: "core" },
      ],
    });
    expect(kept.headerNames).toEqual(["Authorization", "X-Team"]);
    expect((await refreshMcpTools(ctx, { id: server.id })).lastError).toBeNull();
    expect(mcp.requests.at(-1)?.["x-team"]).toBe("core");

    const blankNew = await rejection(
      updateMcpServer(ctx, { id: server.id, headers: [{ name: "X-New", value: "" }] }),
    );
    expect(blankNew.code).toBe("validation");
    expect(blankNew.fieldErrors?.headers?.[0]).toContain("X-New");

    // An edit that leaves the headers out keeps them.
    const renamed = await updateMcpServer(ctx, { id: server.id, name: "Tickets2", enabled: false });
    expect(renamed.headerNames).toEqual(["Authorization", "X-Team"]);

    const dropped = await updateMcpServer(ctx, { id: server.id, headers: [] });
    expect(dropped.headerNames).toEqual([]);
    const db = await getDb();
    const [row] = await db.select().from(mcpServers).where(eq(mcpServers.id, server.id));
    expect(row?.headersEncrypted).toBeNull();
  });

  it("keeps no stored header when the URL moves to another origin, and clears the grants", async () => {
    const { t, ctx, server } = await registered();
    await refreshMcpTools(ctx, { id: server.id });
    await setToolGrants(ctx, {
      serverId: server.id,
      agentSlug: "requirements-elicitor",
      toolNames: ["lookup_ticket"],
    });
    const elsewhere = await startMcpServer();
    try {
      // Headers left out, or a row left blank: refused, nothing saved, nothing sent elsewhere.
      for (const headers of [undefined, [{ name: "Authorization", value: "" }]]) {
        const refused = await rejection(updateMcpServer(ctx, { id: server.id, url: elsewhere.url, headers }));
        expect(refused.code).toBe("validation");
        expect(refused.fieldErrors?.headers?.[0]).toMatch(
          /re-enter the value: the server's address changed/i,
        );
        expect(refused.fieldErrors?.headers?.[0]).toContain("Authorization");
      }
      const db = await getDb();
      const [unchanged] = await db.select().from(mcpServers).where(eq(mcpServers.id, server.id));
      expect(unchanged?.url).toBe(mcp.url);
      expect(elsewhere.requests).toHaveLength(0);

      // Same origin, another path: a blank row still keeps the stored value.
      const samePlace = await updateMcpServer(ctx, {
        id: server.id,
        url: `${mcp.url}?v=2`,
        headers: [{ name: "Authorization", value: "" }],
      });
      expect(samePlace.grants).toEqual({ lookup_ticket: ["requirements-elicitor"] });

      const moved = await updateMcpServer(ctx, {
        id: server.id,
        url: elsewhere.url,
        headers: [{ name: "Authorization", value: "Bearer mine" }],
      });
      expect(moved.grants).toEqual({});
      expect(await loadMcpRunTools({ orgId: t.org.id, agentSlug: "requirements-elicitor" })).toMatchObject({
        offered: [],
      });
      await refreshMcpTools(ctx, { id: server.id });
      expect(elsewhere.requests.length).toBeGreaterThan(0);
      expect(elsewhere.requests.every((h) => h.authorization === "Bearer mine")).toBe(true);
      const audits = await db.select().from(auditLogs).where(eq(auditLogs.orgId, t.org.id));
      const update = audits.filter((a) => a.action === "mcp_server.update").at(-1);
      expect(update?.metadata).toMatchObject({ originChanged: true, clearedGrants: 1 });
    } finally {
      await elsewhere.stop();
    }
  });

  it("writes only the URL's origin to the audit log (a query may carry a token)", async () => {
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    const t = await createTeam();
    const ctx = await ctxOf(t.admin, t.org.slug);
    const server = await createMcpServer(ctx, { name: "Keyed", url: `${mcp.url}?api_key=qk-secret-1` });
    await updateMcpServer(ctx, { id: server.id, url: `${mcp.url}?api_key=qk-secret-2` });
    await deleteMcpServer(ctx, { id: server.id });
    const db = await getDb();
    const audits = await db.select().from(auditLogs).where(eq(auditLogs.orgId, t.org.id));
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(["mcp_server.create", "mcp_server.update", "mcp_server.delete"]),
    );
    expect(JSON.stringify(audits)).not.toContain("qk-secret");
    for (const a of audits.filter((x) => x.action.startsWith("mcp_server."))) {
      expect((a.metadata as { origin?: string }).origin).toBe(new URL(mcp.url).origin);
    }
  });

  it("requires https unless private network URLs are allowed", async () => {
    const t = await createTeam();
    const ctx = await ctxOf(t.admin, t.org.slug);
    const plain = await rejection(createMcpServer(ctx, { name: "Plain", url: "http://mcp.example.com/mcp" }));
    expect(plain.fieldErrors?.url).toEqual(["The address must start with https://."]);
    // At connection time too (a server saved while it was allowed).
    expect(
      await callMcpTool({ url: "http://mcp.example.com/mcp", headers: {} }, "lookup_ticket", {}),
    ).toEqual({
      ok: false,
      error: UNREACHABLE_MESSAGE,
    });
  });

  it("caps MCP servers per organization", async () => {
    const { t, ctx } = await registered();
    const create = (i: number) => createMcpServer(ctx, { name: `Server ${i}`, url: mcp.url });
    for (let i = 2; i < MAX_MCP_SERVERS; i++) await create(i);
    const raced = await Promise.allSettled([create(100), create(101), create(102)]);
    expect(raced.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of raced.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "conflict" });
    }
    const admin = await resolveOrgContext(t.admin, t.org.slug, "integrations.manage", meta);
    expect(await listMcpServers(admin)).toHaveLength(MAX_MCP_SERVERS);
  });

  it("refuses internal URLs at create and update, and at connection time", async () => {
    const t = await createTeam();
    const ctx = await ctxOf(t.admin, t.org.slug);
    for (const url of [...INTERNAL_URLS, METADATA_URL]) {
      const error = await rejection(createMcpServer(ctx, { name: "Internal", url }));
      expect(error.code).toBe("validation");
      expect(error.fieldErrors?.url).toEqual(["The address must start with https://."]);
      const https = await rejection(
        createMcpServer(ctx, { name: "Internal", url: url.replace(/^http:/, "https:") }),
      );
      expect(https.fieldErrors?.url).toEqual([UNREACHABLE_MESSAGE]);
    }
    expect(
      (await rejection(createMcpServer(ctx, { name: "Ftp", url: "ftp://example.com/" }))).fieldErrors
        ?.url?.[0],
    ).toMatch(/https/);
    // Metadata stays refused even when private networks are allowed.
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    expect((await rejection(createMcpServer(ctx, { name: "Meta", url: METADATA_URL }))).code).toBe(
      "validation",
    );
    const server = await createMcpServer(ctx, { name: "Loopback", url: mcp.url });
    expect((await rejection(updateMcpServer(ctx, { id: server.id, url: METADATA_URL }))).code).toBe(
      "validation",
    );

    // Saved while allowed, then the setting is off: the connection itself is refused.
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: undefined });
    const refreshed = await refreshMcpTools(ctx, { id: server.id });
    expect(refreshed.lastError).toBe(UNREACHABLE_MESSAGE);
    expect(
      await callMcpTool({ url: mcp.url, headers: { authorization: `Bearer ${TOKEN}` } }, "lookup_ticket", {
        ticketId: "T-1",
      }),
    ).toEqual({ ok: false, error: UNREACHABLE_MESSAGE });
    expect(mcp.calls.filter((c) => c.args.ticketId === "T-1")).toHaveLength(0);
  });

  it("refuses a redirect to an internal address at connection time", async () => {
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    const redirect = await startRedirectServer(METADATA_URL);
    try {
      const outcome = await callMcpTool({ url: `${redirect.url}/mcp`, headers: {} }, "lookup_ticket", {});
      // The SDK follows same-origin redirects only, each through the guard again; this one is refused.
      expect(outcome).toEqual({
        ok: false,
        error: "The server redirected elsewhere (HTTP 302): register the URL it redirects to.",
      });
    } finally {
      await redirect.stop();
    }
  });

  it("validates grants: unknown tools and agents are 422; grants replace per agent; audited", async () => {
    const { t, ctx, server } = await registered();
    const noTools = await rejection(
      setToolGrants(ctx, {
        serverId: server.id,
        agentSlug: "requirements-elicitor",
        toolNames: ["lookup_ticket"],
      }),
    );
    expect(noTools.code).toBe("validation");
    expect(noTools.fieldErrors?.toolNames?.[0]).toContain("refresh");
    await refreshMcpTools(ctx, { id: server.id });

    const badAgent = await rejection(
      setToolGrants(ctx, { serverId: server.id, agentSlug: "wizard", toolNames: ["lookup_ticket"] }),
    );
    expect(badAgent.code).toBe("validation");
    expect(badAgent.fieldErrors?.agentSlug).toBeDefined();
    const badTool = await rejection(
      setToolGrants(ctx, { serverId: server.id, agentSlug: "requirements-elicitor", toolNames: ["rm_rf"] }),
    );
    expect(badTool.fieldErrors?.toolNames?.[0]).toContain("rm_rf");

    const granted = await setToolGrants(ctx, {
      serverId: server.id,
      agentSlug: "requirements-elicitor",
      toolNames: ["lookup_ticket", "slow_report"],
    });
    expect(granted.grants).toEqual({
      lookup_ticket: ["requirements-elicitor"],
      slow_report: ["requirements-elicitor"],
    });
    const narrowed = await setToolGrants(ctx, {
      serverId: server.id,
      agentSlug: "requirements-elicitor",
      toolNames: ["lookup_ticket"],
    });
    expect(narrowed.grants).toEqual({ lookup_ticket: ["requirements-elicitor"] });
    expect(await auditCount(t.org.id, "mcp_grant.update")).toBe(2);

    const offered = await loadMcpRunTools({ orgId: t.org.id, agentSlug: "requirements-elicitor" });
    expect(offered.offered.map((o) => o.offeredAs)).toEqual(["mcp__Tickets__lookup_ticket"]);
    expect((await loadMcpRunTools({ orgId: t.org.id, agentSlug: "system-architect" })).offered).toEqual([]);
    await updateMcpServer(ctx, { id: server.id, enabled: false });
    expect((await loadMcpRunTools({ orgId: t.org.id, agentSlug: "requirements-elicitor" })).offered).toEqual(
      [],
    );

    await deleteMcpServer(ctx, { id: server.id });
    const db = await getDb();
    expect(await db.select().from(mcpToolGrants).where(eq(mcpToolGrants.serverId, server.id))).toEqual([]);
    expect(await auditCount(t.org.id, "mcp_server.delete")).toBe(1);
  });

  it("answers 403 to members and viewers, 404 to another organization", async () => {
    const { t, server } = await registered();
    for (const user of [t.member, t.viewer]) {
      const ctx = await ctxOf(user, t.org.slug);
      const input = { name: "X", url: mcp.url };
      for (const call of [
        () => createMcpServer(ctx, input),
        () => updateMcpServer(ctx, { id: server.id, enabled: false }),
        () => deleteMcpServer(ctx, { id: server.id }),
        () => refreshMcpTools(ctx, { id: server.id }),
        () => setToolGrants(ctx, { serverId: server.id, agentSlug: "reviewer", toolNames: [] }),
        () => listMcpServers(ctx),
      ]) {
        expect((await rejection(call())).code).toBe("forbidden");
      }
    }
    const outsider = await ctxOf(t.outsider, t.otherOrg.slug);
    for (const call of [
      () => updateMcpServer(outsider, { id: server.id, enabled: false }),
      () => deleteMcpServer(outsider, { id: server.id }),
      () => refreshMcpTools(outsider, { id: server.id }),
      () => setToolGrants(outsider, { serverId: server.id, agentSlug: "reviewer", toolNames: [] }),
    ]) {
      expect((await rejection(call())).code).toBe("not_found");
    }
    // Nothing changed for the organization that owns it.
    expect((await listMcpServers(await ctxOf(t.admin, t.org.slug)))[0]).toMatchObject({
      id: server.id,
      enabled: true,
    });
    expect(await listMcpServers(outsider)).toEqual([]);
    // The other organization cannot even see this one.
    expect((await rejection(resolveOrgContext(t.outsider, t.org.slug, "org.read", meta))).code).toBe(
      "not_found",
    );
  });

  it("rejects a duplicate name with 409 and bad input with field messages", async () => {
    const { ctx } = await registered();
    expect((await rejection(createMcpServer(ctx, { name: "Tickets", url: mcp.url }))).code).toBe("conflict");
    const bad = await rejection(
      createMcpServer(ctx, {
        name: "",
        url: "",
        headers: [
          { name: "Bad Header", value: "x" },
          { name: "Host", value: "y" },
        ],
      }),
    );
    expect(bad.code).toBe("validation");
    expect(Object.keys(bad.fieldErrors ?? {})).toEqual(
      expect.arrayContaining(["name", "url", "headers.0.name", "headers.1.name"]),
    );
  });
});

describe("MCP tool calls", () => {
  const target = () => ({ url: mcp.url, headers: { Authorization: `Bearer ${TOKEN}` } });

  it("returns the tool's text, truncated to the limit", async () => {
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    expect(await callMcpTool(target(), "lookup_ticket", { ticketId: "T-9" })).toEqual({
      ok: true,
      text: "Ticket T-9: open, priority high, owner Dana.",
      truncated: false,
    });
    const max = MCP_LIMITS.maxResultChars;
    MCP_LIMITS.maxResultChars = 10;
    try {
      const cut = await callMcpTool(target(), "lookup_ticket", { ticketId: "T-10" });
      expect(cut).toMatchObject({ ok: true, truncated: true });
      expect(cut.ok && cut.text.startsWith("Ticket T-1")).toBe(true);
    } finally {
      MCP_LIMITS.maxResultChars = max;
    }
  });

  it("fails a slow call at the time limit and an unknown tool with the server's message", async () => {
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    const limit = MCP_LIMITS.callTimeoutMs;
    MCP_LIMITS.callTimeoutMs = 800;
    try {
      const started = Date.now();
      const slow = await callMcpTool(target(), "slow_report", { topic: "x" });
      expect(slow.ok).toBe(false);
      expect(!slow.ok && slow.error).toMatch(/did not answer/);
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      MCP_LIMITS.callTimeoutMs = limit;
    }
    const unknown = await callMcpTool(target(), "nope", {});
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.error).toMatch(/nope/);
  });

  it("names offered tools in the providers' charset and length, uniquely", () => {
    expect(mcpToolName("Tickets", "lookup_ticket")).toBe("mcp__Tickets__lookup_ticket");
    expect(mcpToolName("My server!", "do.thing/now")).toBe("mcp__My_server__do_thing_now");
    const long = mcpToolName("a".repeat(80), "b".repeat(80));
    expect(long.length).toBeLessThanOrEqual(MAX_TOOL_NAME);
    expect(long).toMatch(/^mcp__[A-Za-z0-9_-]+$/);
    const taken = new Set(["mcp__x__y"]);
    const other = mcpToolName("x", "y", taken);
    expect(other).not.toBe("mcp__x__y");
    expect(other).toMatch(/^mcp__x__y_[0-9a-f]{6}$/);
  });
});

describe("a stateful MCP server (sessions, SSE answers)", () => {
  it("lists and calls its tools, and ends the session after each use", async () => {
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    const stateful = await startMcpServer({ stateful: true });
    try {
      const t = await createTeam();
      const ctx = await ctxOf(t.admin, t.org.slug);
      const server = await createMcpServer(ctx, { name: "Stateful", url: stateful.url });
      const refreshed = await refreshMcpTools(ctx, { id: server.id });
      expect(refreshed.lastError).toBeNull();
      expect(refreshed.tools).toHaveLength(2);
      expect(
        await callMcpTool({ url: stateful.url, headers: {} }, "lookup_ticket", { ticketId: "S-1" }),
      ).toMatchObject({
        ok: true,
        text: "Ticket S-1: open, priority high, owner Dana.",
      });
      expect(stateful.requests.some((h) => typeof h["mcp-session-id"] === "string")).toBe(true);
      expect(stateful.sessions()).toBe(0);
    } finally {
      await stateful.stop();
    }
  });
});
