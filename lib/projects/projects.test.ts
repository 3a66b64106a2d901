import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLogs, projects } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createTeam } from "@/tests/support/factories";
import { archiveProject, unarchiveProject } from "./archive-project";
import { createProject } from "./create-project";
import { getProject, listProjects } from "./queries";
import { createProjectSchema, updateProjectSchema } from "./schemas";
import { firstFreeSlug, slugify, suggestSlug } from "./slug";
import { updateProject } from "./update-project";

const meta = { ip: "198.51.100.7", userAgent: "vitest" };
type Team = Awaited<ReturnType<typeof createTeam>>;
const ctxOf = (t: Team, user = t.member) => resolveOrgContext(user, t.org.slug, "projects.write", meta);
const create = (t: Team, input: { name: string; slug?: string; description?: string; brief?: string }) =>
  ctxOf(t).then((ctx) => createProject(ctx, createProjectSchema.parse(input)));

async function auditFor(orgId: string) {
  const db = await getDb();
  return db.select().from(auditLogs).where(eq(auditLogs.orgId, orgId)).orderBy(auditLogs.createdAt);
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("slugs", () => {
  it("suggests a slug from a name", () => {
    expect(slugify("Café Roadmap 2!")).toBe("cafe-roadmap-2");
    expect(slugify("  --Hello   World--  ")).toBe("hello-world");
    expect(suggestSlug("日本語")).toBe("project");
    expect(suggestSlug("New")).toBe("new-project");
    expect(suggestSlug("x".repeat(100))).toHaveLength(48);
  });

  it("finds the first free numbered slug within the length limit", () => {
    expect(firstFreeSlug("site", new Set())).toBe("site");
    expect(firstFreeSlug("site", new Set(["site", "site-2"]))).toBe("site-3");
    const long = "a".repeat(48);
    expect(firstFreeSlug(long, new Set([long]))).toBe(`${"a".repeat(46)}-2`);
  });
});

describe("projects", () => {
  it("creates a project with its audit entry in the same organization", async () => {
    const t = await createTeam();
    const p = await create(t, {
      name: "  Website  ",
      description: "Marketing site",
      brief: "Line 1\r\nLine 2",
    });
    expect(p).toMatchObject({ name: "Website", slug: "website", status: "active", brief: "Line 1\nLine 2" });
    expect(p.createdBy?.email).toBe(t.member.email);
    const audit = await auditFor(t.org.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "project.create",
      actorId: t.member.id,
      actorEmail: t.member.email,
      targetType: "project",
      targetId: p.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      metadata: { name: "Website", slug: "website" },
    });
  });

  it("keeps slugs unique per organization, not across organizations", async () => {
    const t = await createTeam();
    await create(t, { name: "Website", slug: "website" });
    const dup = await rejection(create(t, { name: "Other", slug: "website" }));
    expect(dup.code).toBe("conflict");
    expect(dup.fieldErrors?.slug?.[0]).toMatch(/already used/);

    // A suggested slug steps aside instead of failing.
    const auto = await create(t, { name: "Website" });
    expect(auto.slug).toBe("website-2");

    // The same slug is free in another organization.
    const otherCtx = await resolveOrgContext(t.outsider, t.otherOrg.slug, "projects.write", meta);
    const theirs = await createProject(
      otherCtx,
      createProjectSchema.parse({ name: "Website", slug: "website" }),
    );
    expect(theirs.slug).toBe("website");

    const db = await getDb();
    const rows = await db
      .select()
      .from(projects)
      .where(and(eq(projects.slug, "website"), inArray(projects.orgId, [t.org.id, t.otherOrg.id])));
    expect(rows.map((r) => r.orgId).sort()).toEqual([t.org.id, t.otherOrg.id].sort());
    expect((await auditFor(t.org.id)).filter((a) => a.action === "project.create")).toHaveLength(2);
  });

  it("lists active projects by default, archived on request, and searches by name", async () => {
    const t = await createTeam();
    await create(t, { name: "Alpha site" });
    await create(t, { name: "Beta app" });
    await create(t, { name: "100% done" });
    const ctx = await ctxOf(t);
    await archiveProject(ctx, "beta-app");

    const names = async (status: "active" | "archived", q?: string) =>
      (await listProjects(ctx, { status, q })).map((p) => p.name).sort();
    expect(await names("active")).toEqual(["100% done", "Alpha site"]);
    expect(await names("archived")).toEqual(["Beta app"]);
    expect(await names("active", "SITE")).toEqual(["Alpha site"]);
    // LIKE wildcards are literal: "%" matches only a real percent sign.
    expect(await names("active", "%")).toEqual(["100% done"]);
    expect(await names("active", "_")).toEqual([]);
  });

  it("updates only what changed and audits the changed fields", async () => {
    const t = await createTeam();
    await create(t, { name: "Website", description: "Old" });
    const ctx = await ctxOf(t);
    const updated = await updateProject(
      ctx,
      "website",
      updateProjectSchema.parse({ name: "Web", slug: "web", description: "Old", brief: "New brief" }),
    );
    expect(updated).toMatchObject({ name: "Web", slug: "web", description: "Old", brief: "New brief" });
    const entry = (await auditFor(t.org.id)).find((a) => a.action === "project.update");
    expect(entry?.metadata).toEqual({
      changed: ["name", "slug", "brief"],
      name: "Web",
      slug: "web",
      previous: { name: "Website", slug: "website" },
    });

    // Nothing changed → nothing written.
    await updateProject(ctx, "web", updateProjectSchema.parse({ name: "Web" }));
    expect((await auditFor(t.org.id)).filter((a) => a.action === "project.update")).toHaveLength(1);
    expect((await rejection(getProject(ctx, "website"))).code).toBe("not_found");
  });

  it("refuses to take another project's slug on rename", async () => {
    const t = await createTeam();
    await create(t, { name: "One" });
    await create(t, { name: "Two" });
    const error = await rejection(updateProject(await ctxOf(t), "two", { slug: "one" }));
    expect(error.code).toBe("conflict");
    expect(error.fieldErrors?.slug).toBeDefined();
    expect((await auditFor(t.org.id)).filter((a) => a.action === "project.update")).toHaveLength(0);
  });

  it("makes archived projects read-only until unarchived", async () => {
    const t = await createTeam();
    await create(t, { name: "Website" });
    const ctx = await ctxOf(t);
    const archived = await archiveProject(ctx, "website");
    expect(archived.status).toBe("archived");
    expect(archived.archivedAt).not.toBeNull();

    const refused = await rejection(updateProject(ctx, "website", { name: "Renamed" }));
    expect(refused.code).toBe("conflict");
    expect(refused.message).toMatch(/archived/i);
    expect((await rejection(archiveProject(ctx, "website"))).code).toBe("conflict");

    const restored = await unarchiveProject(ctx, "website");
    expect(restored).toMatchObject({ status: "active", archivedAt: null });
    expect((await rejection(unarchiveProject(ctx, "website"))).code).toBe("conflict");
    expect((await updateProject(ctx, "website", { name: "Renamed" })).name).toBe("Renamed");

    const actions = (await auditFor(t.org.id)).map((a) => a.action);
    expect(actions).toEqual(["project.create", "project.archive", "project.unarchive", "project.update"]);
  });

  it("never finds another organization's project by slug", async () => {
    const t = await createTeam();
    const otherCtx = await resolveOrgContext(t.outsider, t.otherOrg.slug, "projects.write", meta);
    await createProject(otherCtx, createProjectSchema.parse({ name: "Secret", slug: "secret" }));
    const ctx = await ctxOf(t);
    expect((await rejection(getProject(ctx, "secret"))).code).toBe("not_found");
    expect((await rejection(updateProject(ctx, "secret", { name: "Mine now" }))).code).toBe("not_found");
    expect((await rejection(archiveProject(ctx, "secret"))).code).toBe("not_found");
    expect(await listProjects(ctx, { status: "active" })).toEqual([]);
    const db = await getDb();
    const [row] = await db
      .select()
      .from(projects)
      .where(and(eq(projects.orgId, t.otherOrg.id), eq(projects.slug, "secret")));
    expect(row).toMatchObject({ name: "Secret", status: "active" });
  });
});

describe("project input", () => {
  const errors = (input: unknown) => {
    const r = createProjectSchema.safeParse(input);
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  it("explains every bad field", () => {
    expect(errors({})).toEqual({ name: "Enter a name." });
    expect(errors({ name: 42 })).toEqual({ name: "The name must be text." });
    expect(errors({ name: "a" }).name).toMatch(/at least 2/);
    expect(errors({ name: "x".repeat(81) }).name).toMatch(/at most 80/);
    expect(errors({ name: "ok", slug: "Bad Slug" }).slug).toMatch(/lowercase/);
    expect(errors({ name: "ok", slug: "-edge" }).slug).toMatch(/hyphen/);
    expect(errors({ name: "ok", slug: "new" }).slug).toMatch(/reserved/);
    expect(errors({ name: "ok", description: "d".repeat(501) }).description).toMatch(/500/);
    expect(errors({ name: "ok", brief: "b".repeat(20_001) }).brief).toMatch(/20,000/);
    expect(errors({ name: "ok", brief: "b".repeat(20_000) })).toEqual({});
    // CRLF counts as one line break, as the textarea counts it.
    expect(errors({ name: "ok", brief: "a\r\n".repeat(6_000) })).toEqual({});
  });

  it("treats an empty slug as 'suggest one' on create but not on update", () => {
    expect(createProjectSchema.parse({ name: "ok", slug: "" }).slug).toBeUndefined();
    expect(updateProjectSchema.safeParse({ slug: "" }).success).toBe(false);
    expect(updateProjectSchema.safeParse({}).success).toBe(false);
  });
});
