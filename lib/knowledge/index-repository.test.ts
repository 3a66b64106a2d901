import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb, withTenant } from "@/db";
import { knowledgeDocuments, knowledgeDocumentVersions } from "@/db/schema";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createProject } from "@/lib/projects/create-project";
import { ensureRepository } from "@/lib/repos/ensure-repository";
import { updateRepositorySettings } from "@/lib/repos/settings/update-repository-settings";
import { createTeam } from "@/tests/support/factories";
import { commitToOrigin } from "@/tests/support/repo-fixtures";
import { createProjectRow } from "@/tests/support/run-fixtures";
import { indexRepository, isKnowledgePath, MAX_REPO_FILE_BYTES, repoDocumentKey } from "./index-repository";
import { searchKnowledge } from "./search";

const sent = vi.hoisted(() => ({ events: [] as { name: string; data: Record<string, unknown> }[] }));
vi.mock("@/inngest/client", () => ({
  inngest: {
    send: async (e: { name: string; data: Record<string, unknown> }) => {
      sent.events.push(e);
      return { ids: [] };
    },
  },
}));

type Team = Awaited<ReturnType<typeof createTeam>>;
let t: Team;
let project: Awaited<ReturnType<typeof createProjectRow>>;
let origin: string;

async function repoDocs() {
  const db = await getDb();
  const rows = await db
    .select()
    .from(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.projectId, project.id), eq(knowledgeDocuments.source, "repository")));
  return Object.fromEntries(rows.map((r) => [r.title, r]));
}

const search = (query: string, projectId: string | null = project.id) =>
  searchKnowledge({ orgId: t.org.id, projectId }, { query });

beforeEach(async () => {
  t = await createTeam();
  project = await createProjectRow(t.org.id);
  ({ origin } = await withTenant({ orgId: t.org.id }, (tx) => ensureRepository(tx, t.org.id, project)));
  sent.events.length = 0;
});

describe("indexRepository", () => {
  it("indexes docs/ and READMEs on the default branch, re-indexes changes and drops removed files", async () => {
    await commitToOrigin(origin, {
      branch: "main",
      message: "docs",
      changes: [
        { path: "README.md", content: "# Widgets\n\nThe widget service renders dashboards.\n" },
        { path: "docs/guide.md", content: "# Guide\n\n## Releases\n\nTag releases with calver.\n" },
        { path: "docs/notes.txt", content: "Oncall rota lives in the wiki.\n" },
        { path: "docs/logo.png", content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) },
        { path: "docs/fake.md", content: new Uint8Array([0x61, 0, 0x62]) },
        { path: "docs/huge.md", content: `# Huge\n\n${"word ".repeat(MAX_REPO_FILE_BYTES / 4)}` },
        { path: "src/api/readme.txt", content: "API readme: paginate with cursors.\n" },
        { path: "notes.md", content: "Root notes are not docs: zebra.\n" },
      ],
    });
    // On another branch: never indexed.
    await commitToOrigin(origin, {
      branch: "feature",
      from: "main",
      message: "wip",
      changes: [{ path: "docs/wip.md", content: "Work in progress: quokka.\n" }],
    });

    const first = await indexRepository({ orgId: t.org.id, projectId: project.id });
    expect(first).toMatchObject({ saved: 4, unchanged: 0, removed: 0, skipped: 2 });
    const docs = await repoDocs();
    expect(Object.keys(docs).sort()).toEqual([
      "README.md",
      "docs/guide.md",
      "docs/notes.txt",
      "src/api/readme.txt",
    ]);
    expect(docs["docs/guide.md"]).toMatchObject({
      key: repoDocumentKey(project.id, "docs/guide.md"),
      status: "ready",
      currentVersion: 1,
    });

    const hits = (await search("calver")).hits;
    expect(hits.map((h) => [h.title, h.heading, h.source])).toEqual([
      ["docs/guide.md", "Guide › Releases", "repository"],
    ]);
    expect((await search("cursors")).hits).toHaveLength(1);
    expect((await search("zebra")).hits).toHaveLength(0);
    expect((await search("quokka")).hits).toHaveLength(0);
    // Only in the project: not the organization's own, not another organization's.
    expect((await search("calver", null)).hits).toHaveLength(0);
    expect(
      (await searchKnowledge({ orgId: t.otherOrg.id, projectId: null }, { query: "calver" })).hits,
    ).toEqual([]);

    // Unchanged: nothing happens.
    expect(await indexRepository({ orgId: t.org.id, projectId: project.id })).toMatchObject({
      saved: 0,
      unchanged: 4,
      removed: 0,
    });

    await commitToOrigin(origin, {
      branch: "main",
      message: "change",
      changes: [
        { path: "docs/guide.md", content: "# Guide\n\n## Releases\n\nTag releases with semver now.\n" },
        { path: "docs/notes.txt", content: null },
      ],
    });
    expect(await indexRepository({ orgId: t.org.id, projectId: project.id })).toMatchObject({
      saved: 1,
      unchanged: 2,
      removed: 1,
    });
    const after = await repoDocs();
    expect(Object.keys(after).sort()).toEqual(["README.md", "docs/guide.md", "src/api/readme.txt"]);
    expect(after["docs/guide.md"]).toMatchObject({ id: docs["docs/guide.md"]?.id, currentVersion: 2 });
    const db = await getDb();
    expect(
      await db
        .select({ v: knowledgeDocumentVersions.version })
        .from(knowledgeDocumentVersions)
        .where(eq(knowledgeDocumentVersions.documentId, docs["docs/notes.txt"]?.id ?? "")),
    ).toEqual([]);
    expect((await search("semver")).hits).toHaveLength(1);
    expect((await search("calver")).hits).toHaveLength(0);
    expect((await search("oncall")).hits).toHaveLength(0);
  });

  it("asks for an index when the default branch changes and when a project is created", async () => {
    await commitToOrigin(origin, {
      branch: "dev",
      from: "main",
      message: "dev docs",
      changes: [{ path: "docs/dev.md", content: "Dev branch docs: narwhal.\n" }],
    });
    const ctx = await resolveOrgContext(t.member, t.org.slug, "projects.write", {
      ip: null,
      userAgent: null,
    });
    await updateRepositorySettings(ctx, project.slug, { testCommand: "npm test" });
    expect(sent.events).toEqual([]);
    await updateRepositorySettings(ctx, project.slug, { defaultBranch: "dev" });
    expect(sent.events).toEqual([
      expect.objectContaining({
        name: "knowledge/repository.changed",
        data: { orgId: t.org.id, projectId: project.id },
      }),
    ]);
    await indexRepository({ orgId: t.org.id, projectId: project.id });
    expect((await search("narwhal")).hits).toHaveLength(1);

    sent.events.length = 0;
    const created = await createProject(ctx, { name: "Docs site", brief: "A site." } as never);
    expect(sent.events).toEqual([
      expect.objectContaining({
        name: "knowledge/repository.changed",
        data: { orgId: t.org.id, projectId: created.id },
      }),
    ]);
  });

  it("knows which paths are knowledge", () => {
    for (const p of [
      "README",
      "README.md",
      "a/b/readme.txt",
      "Readme.markdown",
      "docs/a.md",
      "docs/x/y.txt",
    ]) {
      expect(isKnowledgePath(p), p).toBe(true);
    }
    for (const p of [
      "notes.md",
      "src/docs/a.md",
      "docs/a.png",
      "READMEs.md",
      "docs/a.md.bak",
      "README.rst",
    ]) {
      expect(isKnowledgePath(p), p).toBe(false);
    }
  });
});
