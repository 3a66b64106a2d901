import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { agentVersions, auditLogs } from "@/db/schema";
import { getBuiltinAgent } from "@/lib/agents/catalog";
import { createTeam } from "@/tests/support/factories";
import { auditCount, rowCount } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { cloneAgentAction, createAgentAction, saveAgentAction } from "./actions";

type Team = Awaited<ReturnType<typeof createTeam>>;
let t: Team;

const architect = getBuiltinAgent("system-architect");
if (!architect) throw new Error("the system-architect built-in is missing");

const newAgent = {
  name: "Release notes writer",
  slug: "release-notes",
  category: "knowledge",
  whenToUse: "When a delivery needs release notes written for customers.",
  systemPrompt: architect.systemPrompt,
  tools: ["read_project_brief", "read_context", "write_artifact"],
  modelTier: "fast",
  artifactKinds: architect.artifactKinds,
};

const cloneInput = { from: "system-architect", name: "Our architect", slug: "system-architect-custom" };

async function written(orgId: string) {
  return {
    versions: await rowCount(agentVersions, eq(agentVersions.orgId, orgId)),
    audit: await auditCount(orgId),
  };
}

beforeEach(async () => {
  t = await createTeam();
  actAs(null);
});

describe("cloneAgentAction", () => {
  it("copies a built-in as version 1 of an organization agent, audited as agent.create", async () => {
    actAs(t.admin);
    const result = await cloneAgentAction(t.org.slug, cloneInput);
    expect(result).toMatchObject({
      ok: true,
      data: { slug: "system-architect-custom", name: "Our architect", version: 1, source: "organization" },
    });
    const db = await getDb();
    const rows = await db.select().from(agentVersions).where(eq(agentVersions.orgId, t.org.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      slug: "system-architect-custom",
      version: 1,
      basedOn: "system-architect",
      createdById: t.admin.id,
      definition: {
        name: "Our architect",
        systemPrompt: architect.systemPrompt,
        tools: architect.tools,
        category: architect.category,
      },
    });
    const [entry] = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, t.org.id), eq(auditLogs.action, "agent.create")));
    expect(entry).toMatchObject({
      actorId: t.admin.id,
      metadata: { slug: "system-architect-custom", version: 1, basedOn: "system-architect" },
    });
  });

  it.each([
    { input: { ...cloneInput, slug: "Bad Slug" }, field: "slug" },
    { input: { ...cloneInput, slug: "new" }, field: "slug" },
    { input: { ...cloneInput, name: "" }, field: "name" },
    { input: { ...cloneInput, from: "" }, field: "from" },
    { input: { ...cloneInput, from: "no-such-agent" }, field: "from" },
  ])(
    "returns a field error for $field ($input.slug, $input.from) and writes nothing",
    async ({ input, field }) => {
      actAs(t.admin);
      const result = await cloneAgentAction(t.org.slug, input);
      expect(result).toMatchObject({ ok: false, error: { code: "validation" } });
      if (result.ok) return;
      expect(result.error.fieldErrors?.[field]?.[0]).toEqual(expect.any(String));
      expect(await written(t.org.id)).toEqual({ versions: 0, audit: 0 });
    },
  );

  it("reports a taken slug (a built-in's or the organization's own) as a conflict on the slug field", async () => {
    actAs(t.admin);
    expect((await cloneAgentAction(t.org.slug, cloneInput)).ok).toBe(true);
    for (const slug of ["system-architect-custom", "code-reviewer"]) {
      const result = await cloneAgentAction(t.org.slug, { ...cloneInput, slug });
      expect(result, slug).toMatchObject({
        ok: false,
        error: { code: "conflict", fieldErrors: { slug: [expect.any(String)] } },
      });
    }
    expect(await written(t.org.id)).toEqual({ versions: 1, audit: 1 });
  });
});

describe("createAgentAction", () => {
  it("creates version 1 of a new agent, audited as agent.create", async () => {
    actAs(t.owner);
    const result = await createAgentAction(t.org.slug, newAgent);
    expect(result).toMatchObject({
      ok: true,
      data: { slug: "release-notes", version: 1, source: "organization", basedOn: null },
    });
    const db = await getDb();
    const rows = await db.select().from(agentVersions).where(eq(agentVersions.orgId, t.org.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      slug: "release-notes",
      version: 1,
      basedOn: null,
      definition: { ...newAgent, artifactKinds: [...architect.artifactKinds] },
    });
    expect(await auditCount(t.org.id, "agent.create")).toBe(1);
  });

  it.each([
    { change: { name: "" }, field: "name" },
    { change: { slug: "-bad-" }, field: "slug" },
    { change: { slug: "new" }, field: "slug" },
    { change: { category: "marketing" }, field: "category" },
    { change: { whenToUse: "Sometimes." }, field: "whenToUse" },
    { change: { systemPrompt: "Too short." }, field: "systemPrompt" },
    { change: { tools: ["rm_rf"] }, field: "tools.0" },
    { change: { artifactKinds: [] }, field: "artifactKinds" },
    { change: { modelTier: "huge" }, field: "modelTier" },
  ])("returns a field error for $field and writes nothing", async ({ change, field }) => {
    actAs(t.admin);
    const result = await createAgentAction(t.org.slug, { ...newAgent, ...change });
    expect(result).toMatchObject({ ok: false, error: { code: "validation" } });
    if (result.ok) return;
    expect(result.error.fieldErrors?.[field]?.[0]).toEqual(expect.any(String));
    expect(await written(t.org.id)).toEqual({ versions: 0, audit: 0 });
  });

  it("refuses a built-in's slug with a conflict on the slug field", async () => {
    actAs(t.admin);
    const result = await createAgentAction(t.org.slug, { ...newAgent, slug: "code-reviewer" });
    expect(result).toMatchObject({
      ok: false,
      error: { code: "conflict", fieldErrors: { slug: [expect.any(String)] } },
    });
    expect(await written(t.org.id)).toEqual({ versions: 0, audit: 0 });
  });
});

/** Every action, with an input an admin may send. */
const actions = [
  { name: "cloneAgentAction", run: (org: string) => cloneAgentAction(org, cloneInput) },
  { name: "createAgentAction", run: (org: string) => createAgentAction(org, newAgent) },
  {
    name: "saveAgentAction",
    run: (org: string) => saveAgentAction(org, { slug: "system-architect", modelTier: "fast" }),
  },
];

describe.each(actions)("$name denials", ({ run }) => {
  it("is forbidden to members and viewers, and writes nothing", async () => {
    for (const user of [t.member, t.viewer]) {
      actAs(user);
      expect(await run(t.org.slug)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    expect(await written(t.org.id)).toEqual({ versions: 0, audit: 0 });
  });

  it("answers not_found to an owner of another organization, and writes nothing in either", async () => {
    actAs(t.outsider);
    expect(await run(t.org.slug)).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await written(t.org.id)).toEqual({ versions: 0, audit: 0 });
    expect(await written(t.otherOrg.id)).toEqual({ versions: 0, audit: 0 });
  });

  it("is unauthenticated without a session", async () => {
    expect(await run(t.org.slug)).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
  });
});
