import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { startMcpServer, type TestMcpServer } from "@/tests/support/mcp-server";
import { auditCount } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import {
  createMcpServerAction,
  deleteMcpServerAction,
  refreshMcpToolsAction,
  setToolGrantsAction,
  updateMcpServerAction,
} from "./actions";

const TOKEN = "action-test-token";
let mcp: TestMcpServer;

beforeAll(async () => {
  await getDb();
  setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
  mcp = await startMcpServer({ bearer: TOKEN });
});
afterAll(async () => {
  await mcp.stop();
  setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: undefined });
});

const input = () => ({
  name: "Tickets",
  url: mcp.url,
  headers: [{ name: "Authorization", value: `Bearer ${TOKEN}` }],
});

describe("MCP server settings actions", () => {
  it("lets an admin add (tools listed at once), grant, edit, refresh and delete; never returns the header", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const created = await createMcpServerAction(t.org.slug, input());
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(JSON.stringify(created)).not.toContain(TOKEN);
    expect(created.data.tools.map((x) => x.name).sort()).toEqual(["lookup_ticket", "slow_report"]);
    const id = created.data.id;

    const granted = await setToolGrantsAction(t.org.slug, {
      serverId: id,
      agentSlug: "system-architect",
      toolNames: ["lookup_ticket"],
    });
    expect(granted.ok && granted.data.grants).toEqual({ lookup_ticket: ["system-architect"] });

    const edited = await updateMcpServerAction(t.org.slug, {
      id,
      enabled: false,
      headers: [{ name: "Authorization", value: "" }],
    });
    expect(edited.ok && edited.data).toMatchObject({ enabled: false, headerNames: ["Authorization"] });
    const refreshed = await refreshMcpToolsAction(t.org.slug, { id });
    expect(refreshed.ok && refreshed.data.lastError).toBeNull();

    expect((await deleteMcpServerAction(t.org.slug, { id })).ok).toBe(true);
    for (const action of [
      "mcp_server.create",
      "mcp_server.update",
      "mcp_server.delete",
      "mcp_grant.update",
    ]) {
      expect(await auditCount(t.org.id, action), action).toBe(1);
    }
    expect(await auditCount(t.org.id, "mcp_server.refresh")).toBe(2);
  });

  it("answers forbidden to members and viewers, not_found to another organization, with field errors for bad input", async () => {
    const t = await createTeam();
    actAs(t.admin);
    const created = await createMcpServerAction(t.org.slug, input());
    const id = created.ok ? created.data.id : "";
    const bad = await createMcpServerAction(t.org.slug, { name: "", url: "http://169.254.169.254/" });
    expect(bad).toMatchObject({ ok: false, error: { code: "validation" } });
    expect(!bad.ok && Object.keys(bad.error.fieldErrors ?? {})).toContain("name");

    for (const user of [t.member, t.viewer]) {
      actAs(user);
      expect(await createMcpServerAction(t.org.slug, { ...input(), name: "Other" })).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
      expect(await refreshMcpToolsAction(t.org.slug, { id })).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
      expect(await deleteMcpServerAction(t.org.slug, { id })).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
    }
    actAs(t.outsider);
    expect(await deleteMcpServerAction(t.org.slug, { id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    // In its own organization, the outsider cannot reach this server either.
    expect(await deleteMcpServerAction(t.otherOrg.slug, { id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await auditCount(t.org.id, "mcp_server.delete")).toBe(0);
  });
});
