import { count, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLogs, projects } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import { actAs } from "@/tests/support/session";
import * as archiveRoute from "./[project]/archive/route";
import * as projectRoute from "./[project]/route";
import * as projectsRoute from "./route";

type Handler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Team = Awaited<ReturnType<typeof createTeam>>;

function call(
  handler: Handler,
  params: { org: string; project?: string },
  init: { method?: string; json?: unknown; body?: string; contentType?: string; query?: string } = {},
) {
  const path = `/api/orgs/${params.org}/projects${params.project ? `/${params.project}` : ""}`;
  const body = init.body ?? (init.json === undefined ? undefined : JSON.stringify(init.json));
  const headers: Record<string, string> = {
    "user-agent": "api-test",
    "x-forwarded-for": "192.0.2.44",
    origin: "http://localhost",
  };
  if (body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
  const req = new Request(`http://localhost${path}${init.query ?? ""}`, {
    method: init.method ?? "GET",
    headers,
    body,
  });
  return handler(req, { params: Promise.resolve(params as Record<string, string>) });
}

async function counts(orgId: string) {
  const db = await getDb();
  const [p] = await db.select({ n: count() }).from(projects).where(eq(projects.orgId, orgId));
  const [a] = await db.select({ n: count() }).from(auditLogs).where(eq(auditLogs.orgId, orgId));
  return { projects: p?.n ?? 0, audit: a?.n ?? 0 };
}

async function seedProject(t: Team, name: string, slug: string, orgId = t.org.id) {
  const db = await getDb();
  const [row] = await db.insert(projects).values({ orgId, name, slug, createdById: t.owner.id }).returning();
  if (!row) throw new Error("seed failed");
  return row;
}

let t: Team;
beforeEach(async () => {
  t = await createTeam();
  actAs(null);
});

/** Every handler with a request that would succeed for an allowed user. */
const handlers: {
  name: string;
  write: boolean;
  byProject?: boolean;
  run: (org: string, project?: string) => Promise<Response>;
}[] = [
  { name: "GET /projects", write: false, run: (org) => call(projectsRoute.GET, { org }) },
  {
    name: "POST /projects",
    write: true,
    run: (org) => call(projectsRoute.POST, { org }, { method: "POST", json: { name: "Fresh" } }),
  },
  {
    name: "GET /projects/[project]",
    byProject: true,
    write: false,
    run: (org, project = "website") => call(projectRoute.GET, { org, project }),
  },
  {
    name: "PATCH /projects/[project]",
    byProject: true,
    write: true,
    run: (org, project = "website") =>
      call(projectRoute.PATCH, { org, project }, { method: "PATCH", json: { name: "Renamed" } }),
  },
  {
    name: "POST /projects/[project]/archive",
    byProject: true,
    write: true,
    run: (org, project = "website") => call(archiveRoute.POST, { org, project }, { method: "POST" }),
  },
  {
    name: "DELETE /projects/[project]/archive",
    byProject: true,
    write: true,
    run: async (org, project = "website") => {
      const db = await getDb();
      await db
        .update(projects)
        .set({ status: "archived", archivedAt: new Date() })
        .where(eq(projects.orgId, t.org.id));
      return call(archiveRoute.DELETE, { org, project }, { method: "DELETE" });
    },
  },
];

describe.each(handlers)("$name", ({ write, run }) => {
  beforeEach(async () => {
    await seedProject(t, "Website", "website");
  });

  it("answers 401 without a session", async () => {
    expect((await run(t.org.slug)).status).toBe(401);
  });

  it("answers 404 for an unknown organization slug", async () => {
    actAs(t.owner);
    const res = await run("no-such-org");
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  });

  it("answers 404 to a user of another organization, and changes nothing", async () => {
    actAs(t.outsider);
    const before = await counts(t.org.id);
    expect((await run(t.org.slug)).status).toBe(404);
    expect(await counts(t.org.id)).toEqual(before);
  });

  it(write ? "answers 403 to a viewer and writes nothing" : "lets a viewer read", async () => {
    actAs(t.viewer);
    const before = await counts(t.org.id);
    const res = await run(t.org.slug);
    if (write) {
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("forbidden");
      expect(await counts(t.org.id)).toEqual(before);
    } else {
      expect(res.status).toBe(200);
    }
  });

  it("works for a member", async () => {
    actAs(t.member);
    const before = await counts(t.org.id);
    const res = await run(t.org.slug);
    expect(res.status).toBeLessThan(300);
    expect((await counts(t.org.id)).audit).toBe(before.audit + (write ? 1 : 0));
  });
});

describe.each(handlers.filter((h) => h.byProject))("$name with another organization's slug", ({ run }) => {
  beforeEach(async () => {
    await seedProject(t, "Website", "website");
  });

  it("answers 404 when the slug belongs to another organization's project", async () => {
    const theirs = await seedProject(t, "Theirs", "theirs", t.otherOrg.id);
    actAs(t.owner);
    const before = await counts(t.otherOrg.id);
    expect((await run(t.org.slug, "theirs")).status).toBe(404);
    expect(await counts(t.otherOrg.id)).toEqual(before);
    const db = await getDb();
    const [row] = await db.select().from(projects).where(eq(projects.id, theirs.id));
    expect(row).toMatchObject({ name: "Theirs", status: "active" });
  });
});

describe("POST /api/orgs/[org]/projects", () => {
  const post = (init: Parameters<typeof call>[2]) =>
    call(projectsRoute.POST, { org: t.org.slug }, { method: "POST", ...init });

  it("creates a project, audited with the request's IP and user agent", async () => {
    actAs(t.member);
    const res = await post({ json: { name: "Website", slug: "web", description: "Site", brief: "# Goal" } });
    expect(res.status).toBe(201);
    const { project } = await res.json();
    expect(project).toMatchObject({ name: "Website", slug: "web", description: "Site", brief: "# Goal" });
    expect(project.createdBy.email).toBe(t.member.email);
    const db = await getDb();
    const [entry] = await db.select().from(auditLogs).where(eq(auditLogs.orgId, t.org.id));
    expect(entry).toMatchObject({
      action: "project.create",
      targetId: project.id,
      ip: "192.0.2.44",
      userAgent: "api-test",
    });
  });

  it("suggests a free slug when none is given", async () => {
    actAs(t.member);
    await seedProject(t, "Website", "website");
    const { project } = await (await post({ json: { name: "Website" } })).json();
    expect(project.slug).toBe("website-2");
  });

  it("refuses a slug already used in the organization with 409 and a slug message", async () => {
    actAs(t.member);
    await seedProject(t, "Website", "website");
    const before = await counts(t.org.id);
    const res = await post({ json: { name: "Second", slug: "website" } });
    expect(res.status).toBe(409);
    expect((await res.json()).error.fieldErrors.slug[0]).toMatch(/already used/);
    expect(await counts(t.org.id)).toEqual(before);
  });

  it("allows the same slug in two organizations", async () => {
    await seedProject(t, "Website", "website", t.otherOrg.id);
    actAs(t.member);
    expect((await post({ json: { name: "Website", slug: "website" } })).status).toBe(201);
  });

  const bad: { name: string; init: Parameters<typeof call>[2]; status: number; fields?: string[] }[] = [
    { name: "malformed JSON", init: { body: '{"name": "x",' }, status: 400 },
    { name: "an empty body", init: { body: "" }, status: 400 },
    { name: "a non-JSON content type", init: { body: "name=x", contentType: "text/plain" }, status: 415 },
    { name: "an oversized body", init: { json: { name: "Big", brief: "b".repeat(200_000) } }, status: 413 },
    {
      name: "wrong types",
      init: { json: { name: 42, description: ["x"], brief: {} } },
      status: 422,
      fields: ["name", "description", "brief"],
    },
    { name: "a missing name", init: { json: {} }, status: 422, fields: ["name"] },
    {
      name: "an oversized brief",
      init: { json: { name: "Big", brief: "é".repeat(20_001) } },
      status: 422,
      fields: ["brief"],
    },
    {
      name: "an oversized description",
      init: { json: { name: "Big", description: "d".repeat(501) } },
      status: 422,
      fields: ["description"],
    },
    {
      name: "a bad slug",
      init: { json: { name: "Website", slug: "Not A Slug!" } },
      status: 422,
      fields: ["slug"],
    },
    {
      name: "the reserved slug 'new'",
      init: { json: { name: "Website", slug: "new" } },
      status: 422,
      fields: ["slug"],
    },
    { name: "a JSON array", init: { json: [{ name: "Website" }] }, status: 422 },
  ];

  it.each(bad)("answers $status to $name and writes nothing", async ({ init, status, fields }) => {
    actAs(t.member);
    const res = await post(init);
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.error.message).toEqual(expect.any(String));
    expect(JSON.stringify(body)).not.toMatch(/stack|select |insert /i);
    for (const f of fields ?? []) expect(body.error.fieldErrors[f]?.[0]).toEqual(expect.any(String));
    expect(await counts(t.org.id)).toEqual({ projects: 0, audit: 0 });
  });
});

describe("GET /api/orgs/[org]/projects", () => {
  const list = async (query = "") => {
    const res = await call(projectsRoute.GET, { org: t.org.slug }, { query });
    return { status: res.status, body: await res.json() };
  };

  it("lists active projects by default, archived ones on request, and searches by name", async () => {
    await seedProject(t, "Alpha", "alpha");
    await seedProject(t, "Beta", "beta");
    await seedProject(t, "Hidden", "hidden", t.otherOrg.id);
    const db = await getDb();
    await db.update(projects).set({ status: "archived" }).where(eq(projects.slug, "beta"));
    actAs(t.viewer);
    const names = (b: { projects: { name: string }[] }) => b.projects.map((p) => p.name).sort();
    expect(names((await list()).body)).toEqual(["Alpha"]);
    expect(names((await list("?status=archived")).body)).toEqual(["Beta"]);
    expect(names((await list("?q=alp")).body)).toEqual(["Alpha"]);
    expect(names((await list("?status=&q=")).body)).toEqual(["Alpha"]);
    expect((await list()).body.projects[0]).not.toHaveProperty("brief");
  });

  it("answers 422 with field messages for bad query parameters", async () => {
    actAs(t.viewer);
    const { status, body } = await list(`?status=deleted&q=${"x".repeat(101)}`);
    expect(status).toBe(422);
    expect(Object.keys(body.error.fieldErrors).sort()).toEqual(["q", "status"]);
  });
});

describe("PATCH /api/orgs/[org]/projects/[project]", () => {
  const patch = (init: Parameters<typeof call>[2], project = "website") =>
    call(projectRoute.PATCH, { org: t.org.slug, project }, { method: "PATCH", ...init });

  beforeEach(async () => {
    await seedProject(t, "Website", "website");
    actAs(t.member);
  });

  it("renames, re-slugs and rewrites the brief, auditing the changed fields", async () => {
    const res = await patch({ json: { name: "Site", slug: "site", brief: "New brief" } });
    expect(res.status).toBe(200);
    expect((await res.json()).project).toMatchObject({ name: "Site", slug: "site", brief: "New brief" });
    const db = await getDb();
    const [entry] = await db.select().from(auditLogs).where(eq(auditLogs.orgId, t.org.id));
    expect(entry?.action).toBe("project.update");
    expect(entry?.metadata).toMatchObject({ changed: ["name", "slug", "brief"] });
    const get = await call(projectRoute.GET, { org: t.org.slug, project: "site" });
    expect((await get.json()).project.name).toBe("Site");
  });

  it("answers 409 while the project is archived, and writes nothing", async () => {
    const db = await getDb();
    await db
      .update(projects)
      .set({ status: "archived", archivedAt: new Date() })
      .where(eq(projects.orgId, t.org.id));
    const res = await patch({ json: { name: "Renamed" } });
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toMatch(/archived/i);
    const [row] = await db.select().from(projects).where(eq(projects.orgId, t.org.id));
    expect(row?.name).toBe("Website");
    expect((await counts(t.org.id)).audit).toBe(0);

    // After unarchiving, the edit goes through.
    expect(
      (await call(archiveRoute.DELETE, { org: t.org.slug, project: "website" }, { method: "DELETE" })).status,
    ).toBe(200);
    expect((await patch({ json: { name: "Renamed" } })).status).toBe(200);
  });

  it("answers 409 when renaming to a slug another project uses", async () => {
    await seedProject(t, "Docs", "docs");
    const res = await patch({ json: { slug: "docs" } });
    expect(res.status).toBe(409);
    expect((await res.json()).error.fieldErrors.slug).toBeDefined();
    expect((await counts(t.org.id)).audit).toBe(0);
  });

  const bad: { name: string; init: Parameters<typeof call>[2]; status: number; field: string }[] = [
    { name: "malformed JSON", init: { body: "{name:" }, status: 400, field: "" },
    { name: "an empty object", init: { json: {} }, status: 422, field: "_" },
    { name: "wrong types", init: { json: { name: false } }, status: 422, field: "name" },
    {
      name: "an oversized brief",
      init: { json: { brief: "b".repeat(20_001) } },
      status: 422,
      field: "brief",
    },
    { name: "a bad slug", init: { json: { slug: "UPPER" } }, status: 422, field: "slug" },
    { name: "an empty slug", init: { json: { slug: "" } }, status: 422, field: "slug" },
  ];

  it.each(bad)("answers $status to $name and writes nothing", async ({ init, status, field }) => {
    const res = await patch(init);
    expect(res.status).toBe(status);
    const body = await res.json();
    if (field) expect(body.error.fieldErrors[field]?.[0]).toEqual(expect.any(String));
    const db = await getDb();
    const [row] = await db.select().from(projects).where(eq(projects.orgId, t.org.id));
    expect(row).toMatchObject({ name: "Website", slug: "website", brief: "" });
    expect((await counts(t.org.id)).audit).toBe(0);
  });

  it("answers 404 for a project that does not exist or a malformed slug", async () => {
    expect((await patch({ json: { name: "Xy" } }, "nope")).status).toBe(404);
    expect((await patch({ json: { name: "Xy" } }, "Bad%20Slug")).status).toBe(404);
  });
});

describe("archive routes", () => {
  beforeEach(async () => {
    await seedProject(t, "Website", "website");
    actAs(t.member);
  });

  it("archives and unarchives with one audit entry each, 409 on repeats", async () => {
    const params = { org: t.org.slug, project: "website" };
    const archived = await call(archiveRoute.POST, params, { method: "POST" });
    expect(archived.status).toBe(200);
    expect((await archived.json()).project.status).toBe("archived");
    expect((await call(archiveRoute.POST, params, { method: "POST" })).status).toBe(409);
    const restored = await call(archiveRoute.DELETE, params, { method: "DELETE" });
    expect((await restored.json()).project.status).toBe("active");
    expect((await call(archiveRoute.DELETE, params, { method: "DELETE" })).status).toBe(409);
    const db = await getDb();
    const actions = await db
      .select({ action: auditLogs.action })
      .from(auditLogs)
      .where(eq(auditLogs.orgId, t.org.id))
      .orderBy(auditLogs.createdAt);
    expect(actions.map((a) => a.action)).toEqual(["project.archive", "project.unarchive"]);
  });
});
