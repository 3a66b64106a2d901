import { count, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLogs, projects } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import { actAs } from "@/tests/support/session";
import {
  archiveProjectAction,
  createProjectAction,
  unarchiveProjectAction,
  updateProjectAction,
} from "./actions";

type Team = Awaited<ReturnType<typeof createTeam>>;
let t: Team;

async function counts(orgId: string) {
  const db = await getDb();
  const [p] = await db.select({ n: count() }).from(projects).where(eq(projects.orgId, orgId));
  const [a] = await db.select({ n: count() }).from(auditLogs).where(eq(auditLogs.orgId, orgId));
  return { projects: p?.n ?? 0, audit: a?.n ?? 0 };
}

async function seed(orgId: string, slug: string, status: "active" | "archived" = "active") {
  const db = await getDb();
  await db.insert(projects).values({ orgId, name: `Project ${slug}`, slug, status });
}

function form(fields: Record<string, string>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  return fd;
}

beforeEach(async () => {
  t = await createTeam();
  actAs(null);
});

/** Each action with an input that succeeds for a member, given the "website" project in the right state. */
const actions = [
  {
    name: "createProjectAction",
    state: "active" as const,
    run: (org: string) => createProjectAction(org, form({ name: "Fresh", slug: "fresh" })),
  },
  {
    name: "updateProjectAction",
    state: "active" as const,
    run: (org: string, project = "website") => updateProjectAction(org, form({ project, name: "Renamed" })),
  },
  {
    name: "archiveProjectAction",
    state: "active" as const,
    run: (org: string, project = "website") => archiveProjectAction(org, { project }),
  },
  {
    name: "unarchiveProjectAction",
    state: "archived" as const,
    run: (org: string, project = "website") => unarchiveProjectAction(org, { project }),
  },
];

describe.each(actions)("$name", ({ state, run }) => {
  beforeEach(async () => {
    await seed(t.org.id, "website", state);
  });

  it("succeeds for a member and audits it with the request's metadata", async () => {
    actAs(t.member);
    const result = await run(t.org.slug);
    expect(result.ok).toBe(true);
    const db = await getDb();
    const [entry] = await db.select().from(auditLogs).where(eq(auditLogs.orgId, t.org.id));
    expect(entry).toMatchObject({ actorId: t.member.id, ip: "203.0.113.9", userAgent: "vitest" });
  });

  it("is unauthenticated without a session", async () => {
    const result = await run(t.org.slug);
    expect(result).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
  });

  it("answers not_found for an unknown organization", async () => {
    actAs(t.owner);
    expect(await run("no-such-org")).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("answers not_found to a user of another organization and writes nothing", async () => {
    actAs(t.outsider);
    const before = await counts(t.org.id);
    expect(await run(t.org.slug)).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await counts(t.org.id)).toEqual(before);
  });

  it("answers forbidden to a viewer and writes nothing", async () => {
    actAs(t.viewer);
    const before = await counts(t.org.id);
    expect(await run(t.org.slug)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await counts(t.org.id)).toEqual(before);
  });
});

describe.each(actions.filter((a) => a.name !== "createProjectAction"))(
  "$name with another organization's slug",
  ({ state, run }) => {
    it("cannot reach another organization's project by its slug", async () => {
      await seed(t.otherOrg.id, "theirs", state);
      actAs(t.owner);
      const before = await counts(t.otherOrg.id);
      expect(await run(t.org.slug, "theirs")).toMatchObject({ ok: false, error: { code: "not_found" } });
      expect(await counts(t.otherOrg.id)).toEqual(before);
      const db = await getDb();
      const [row] = await db.select().from(projects).where(eq(projects.orgId, t.otherOrg.id));
      expect(row).toMatchObject({ name: "Project theirs", status: state });
    });
  },
);

describe("createProjectAction input", () => {
  beforeEach(() => actAs(t.member));

  it.each([
    { input: form({ name: "W" }), field: "name" },
    { input: form({ name: "Website", slug: "Bad Slug" }), field: "slug" },
    { input: form({ name: "Website", brief: "b".repeat(20_001) }), field: "brief" },
    { input: form({ name: "Website", description: "d".repeat(501) }), field: "description" },
    { input: { name: 12, brief: null }, field: "name" },
  ])("returns field errors for $field and writes nothing", async ({ input, field }) => {
    const result = await createProjectAction(t.org.slug, input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("validation");
    expect(result.error.fieldErrors?.[field]?.[0]).toEqual(expect.any(String));
    expect(await counts(t.org.id)).toEqual({ projects: 0, audit: 0 });
  });

  it("reports a taken slug under the slug field", async () => {
    await seed(t.org.id, "website");
    const result = await createProjectAction(t.org.slug, form({ name: "Website", slug: "website" }));
    expect(result).toMatchObject({
      ok: false,
      error: { code: "conflict", fieldErrors: { slug: [expect.any(String)] } },
    });
    expect(await counts(t.org.id)).toEqual({ projects: 1, audit: 0 });
  });
});

describe("updateProjectAction input", () => {
  beforeEach(() => actAs(t.member));

  it("returns field errors for a bad edit and writes nothing", async () => {
    await seed(t.org.id, "website");
    const result = await updateProjectAction(
      t.org.slug,
      form({ project: "website", name: "", slug: "-bad-", brief: "b".repeat(20_001) }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.error.fieldErrors ?? {}).sort()).toEqual(["brief", "name", "slug"]);
    const db = await getDb();
    const [row] = await db.select().from(projects).where(eq(projects.orgId, t.org.id));
    expect(row).toMatchObject({ name: "Project website", slug: "website", brief: "" });
    expect((await counts(t.org.id)).audit).toBe(0);
  });

  it("refuses edits to an archived project with a conflict", async () => {
    await seed(t.org.id, "website", "archived");
    const result = await updateProjectAction(t.org.slug, form({ project: "website", name: "Renamed" }));
    expect(result).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect((await counts(t.org.id)).audit).toBe(0);
  });

  it("saves a full form submission, auditing only the fields that changed", async () => {
    await seed(t.org.id, "website");
    const result = await updateProjectAction(
      t.org.slug,
      form({
        project: "website",
        name: "Project website",
        slug: "website",
        description: "Now described",
        brief: "",
      }),
    );
    expect(result).toMatchObject({ ok: true, data: { description: "Now described" } });
    const db = await getDb();
    const [entry] = await db.select().from(auditLogs).where(eq(auditLogs.orgId, t.org.id));
    expect(entry?.metadata).toMatchObject({ changed: ["description"] });
  });
});
