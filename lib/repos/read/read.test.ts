import { existsSync } from "node:fs";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { runTasks } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createTeam } from "@/tests/support/factories";
import { commitToOrigin, readStream, tarGzEntries, zipEntries } from "@/tests/support/repo-fixtures";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { gitBare } from "../git";
import { originPath } from "../paths";
import { archive } from "./archive";
import { compareRun } from "./compare-run";
import { listBranches } from "./list-branches";
import { listCommits } from "./list-commits";
import { readBlob, readBlobRaw } from "./read-blob";
import { readCommit } from "./read-commit";
import { readTree } from "./read-tree";

vi.mock("@/inngest/client", () => ({ inngest: { send: async () => ({ ids: ["x"] }) } }));

const meta = { ip: "198.51.100.7", userAgent: "vitest" };
const BRANCH = "dm/1-add-export";
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]);
const OLD_BODY = Array.from({ length: 40 }, (_, i) => `export const line${i} = ${i};`).join("\n");

/**
 * A project whose origin has a seeded main branch and a run branch with two task commits made
 * the way runs make them (author the agent, trailers Run/Task/Agent), plus one stray commit whose
 * trailer names a run of another organization.
 */
async function seeded() {
  const t = await createTeam();
  const project = await createProjectRow(t.org.id);
  const ctx = await resolveOrgContext(t.viewer, t.org.slug, "projects.read", meta);
  // First use creates the origin (an older project without a repository).
  const { defaultBranch } = await listBranches(ctx, project.slug);
  expect(defaultBranch).toBe("main");
  const origin = originPath(t.org.id, project.id);
  const base = await commitToOrigin(origin, {
    branch: "main",
    message: "Seed",
    changes: [
      { path: "src/old-name.ts", content: `${OLD_BODY}\n` },
      { path: "src/remove-me.txt", content: "bye\n" },
    ],
  });
  const run = await createRunRow(t.org.id, project.id, { number: 1, branch: BRANCH, baseCommit: base });
  const db = await getDb();
  const [t1, t2] = await db
    .insert(runTasks)
    .values([
      {
        orgId: t.org.id,
        runId: run.id,
        key: "T1",
        phaseKey: "build",
        title: "Add the export",
        agentSlug: "coder",
        position: 0,
      },
      {
        orgId: t.org.id,
        runId: run.id,
        key: "T2",
        phaseKey: "build",
        title: "Tidy up",
        agentSlug: "coder",
        position: 1,
      },
    ])
    .returning();
  if (!t1 || !t2) throw new Error("tasks not created");
  const author = { name: "Coder (DafnckMachine)", email: "coder@agents.dafnckmachine" };
  const c1 = await commitToOrigin(origin, {
    branch: BRANCH,
    from: base,
    author,
    message: "T1: Add the export",
    trailers: { Run: run.id, Task: t1.id, Agent: "coder" },
    changes: [
      { path: "src/app.ts", content: "export const answer: number = 42;\n" },
      { path: "docs/logo.png", content: PNG },
      { path: "README.md", content: "# Changed\n\nNow with an export.\n" },
    ],
  });
  const c2 = await commitToOrigin(origin, {
    branch: BRANCH,
    author,
    message: "T2: Tidy up",
    trailers: { Run: run.id, Task: t2.id, Agent: "coder" },
    changes: [
      { rename: ["src/old-name.ts", "src/new-name.ts"] },
      { path: "src/remove-me.txt", content: null },
    ],
  });
  await db.update(runTasks).set({ commitSha: c1 }).where(eq(runTasks.id, t1.id));
  const other = await createProjectRow(t.otherOrg.id);
  const foreignRun = await createRunRow(t.otherOrg.id, other.id, { number: 1 });
  const stray = await commitToOrigin(origin, {
    branch: "stray",
    from: c2,
    message: "Hand-made",
    trailers: { Run: foreignRun.id, Agent: "coder" },
    changes: [{ path: "notes.txt", content: "hello\n" }],
  });
  return { t, ctx, project, origin, run, t1, t2, base, c1, c2, stray };
}

async function rejects(p: Promise<unknown>, code: string) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe("reading a project's repository", () => {
  it("lists branches, trees (folders first, with sizes) and files at a branch or a commit", async () => {
    const s = await seeded();
    const { branches } = await listBranches(s.ctx, s.project.slug);
    expect(branches[0]).toMatchObject({ name: "main", isDefault: true, sha: s.base });
    expect(branches.map((b) => b.name).sort()).toEqual([BRANCH, "main", "stray"].sort());

    const root = await readTree(s.ctx, s.project.slug, {});
    expect(root.ref).toMatchObject({ ref: "main", sha: s.base, branch: "main" });
    expect(root.entries.map((e) => [e.name, e.type])).toEqual([
      ["src", "tree"],
      ["README.md", "blob"],
    ]);
    const atRun = await readTree(s.ctx, s.project.slug, { ref: BRANCH });
    expect(atRun.entries.map((e) => e.name)).toEqual(["docs", "src", "README.md"]);
    const src = await readTree(s.ctx, s.project.slug, { ref: s.c2.slice(0, 10), path: "src/" });
    expect(src.path).toBe("src");
    expect(src.entries).toEqual([
      expect.objectContaining({ name: "app.ts", path: "src/app.ts", type: "blob", size: 34 }),
      expect.objectContaining({ name: "new-name.ts", path: "src/new-name.ts", type: "blob" }),
    ]);

    const blob = await readBlob(s.ctx, s.project.slug, { ref: BRANCH, path: "src/app.ts" });
    expect(blob).toMatchObject({
      binary: false,
      tooLarge: false,
      size: 34,
      language: "typescript",
      content: "export const answer: number = 42;\n",
    });
    const png = await readBlob(s.ctx, s.project.slug, { ref: s.c1, path: "docs/logo.png" });
    expect(png).toMatchObject({ binary: true, content: null, size: PNG.length });
    const raw = await readBlobRaw(s.ctx, s.project.slug, { ref: s.c1, path: "docs/logo.png" });
    expect(raw).toMatchObject({ name: "logo.png", binary: true, size: PNG.length });
    expect(new Uint8Array(await readStream(raw.stream))).toEqual(PNG);

    const big = await commitToOrigin(s.origin, {
      branch: "big",
      from: s.base,
      message: "Big",
      changes: [{ path: "big.txt", content: "x".repeat(1024 * 1024 + 10) }],
    });
    const large = await readBlob(s.ctx, s.project.slug, { ref: big, path: "big.txt" });
    expect(large).toMatchObject({ tooLarge: true, binary: false, content: null, size: 1024 * 1024 + 10 });

    await rejects(readTree(s.ctx, s.project.slug, { path: "nope" }), "not_found");
    await rejects(readTree(s.ctx, s.project.slug, { path: "README.md" }), "bad_request");
    await rejects(readBlob(s.ctx, s.project.slug, { path: "src" }), "bad_request");
    await rejects(readBlob(s.ctx, s.project.slug, { ref: s.base, path: "src/app.ts" }), "not_found");
    await rejects(readTree(s.ctx, s.project.slug, { ref: "no-such-branch" }), "not_found");
    await rejects(readTree(s.ctx, s.project.slug, { ref: "deadbeefdeadbeef" }), "not_found");
  });

  it("pages history with authors and trailers linked to this project's runs and tasks only", async () => {
    const s = await seeded();
    const page = await listCommits(s.ctx, s.project.slug, { ref: BRANCH, limit: 2 });
    expect(page.commits.map((c) => c.sha)).toEqual([s.c2, s.c1]);
    expect(page.nextCursor).toBe("2");
    const [c2, c1] = page.commits;
    const runUrl = `/${s.t.org.slug}/projects/${s.project.slug}/runs/${s.run.id}`;
    expect(c1).toMatchObject({
      subject: "T1: Add the export",
      body: "",
      author: { name: "Coder (DafnckMachine)" },
      committer: { name: "DafnckMachine" },
      run: { id: s.run.id, number: 1, url: runUrl },
      task: { id: s.t1.id, key: "T1", title: "Add the export", url: `${runUrl}#task-${s.t1.id}` },
      agent: { slug: "coder", name: "Coder" },
    });
    expect(c2?.task?.key).toBe("T2");
    const rest = await listCommits(s.ctx, s.project.slug, {
      ref: BRANCH,
      limit: 2,
      cursor: page.nextCursor ?? "",
    });
    expect(rest.commits.map((c) => c.subject)).toEqual(["Seed", "Initial commit"]);
    expect(rest.nextCursor).toBeNull();
    expect(rest.commits[1]?.run).toBeNull();

    const ofFile = await listCommits(s.ctx, s.project.slug, { ref: BRANCH, path: "README.md" });
    expect(ofFile.commits.map((c) => c.subject)).toEqual(["T1: Add the export", "Initial commit"]);

    // A trailer naming another organization's run links to nothing.
    const stray = await listCommits(s.ctx, s.project.slug, { ref: "stray", limit: 1 });
    expect(stray.commits[0]).toMatchObject({ sha: s.stray, run: null, task: null, agent: { slug: "coder" } });
  });

  it("reads one commit with its diff, and compares a run's branch with its base", async () => {
    const s = await seeded();
    const one = await readCommit(s.ctx, s.project.slug, s.c1.slice(0, 8));
    expect(one.commit.sha).toBe(s.c1);
    expect(one.diff.files.map((f) => [f.path, f.status]).sort()).toEqual([
      ["README.md", "modified"],
      ["docs/logo.png", "added"],
      ["src/app.ts", "added"],
    ]);
    expect(one.diff.patch).toContain("+export const answer: number = 42;");
    const initial = await readCommit(s.ctx, s.project.slug, "main");
    expect(initial.commit.sha).toBe(s.base);
    const root = (await listCommits(s.ctx, s.project.slug, { ref: "main" })).commits.at(-1);
    const first = await readCommit(s.ctx, s.project.slug, root?.sha ?? "");
    expect(first.diff.files).toEqual([expect.objectContaining({ path: "README.md", status: "added" })]);

    const changes = await compareRun(s.ctx, s.run.id);
    expect(changes.state).toBe("ready");
    expect(changes.headCommit).toBe(s.c2);
    expect(changes.commits.map((c) => [c.sha, c.task?.key])).toEqual([
      [s.c1, "T1"],
      [s.c2, "T2"],
    ]);
    expect(changes.tasks.map((t) => [t.key, t.commitSha])).toEqual([
      ["T1", s.c1],
      ["T2", s.c2],
    ]);
    const byPath = Object.fromEntries((changes.diff?.files ?? []).map((f) => [f.path, f]));
    const { stdout: readmeStat } = await gitBare(s.origin, [
      "diff",
      "--numstat",
      s.base,
      s.c2,
      "--",
      "README.md",
    ]);
    const [plus, minus] = readmeStat.split("\t").map(Number);
    expect(plus).toBeGreaterThan(0);
    expect(byPath["README.md"]).toMatchObject({ status: "modified", additions: plus, deletions: minus });
    expect(byPath["src/app.ts"]).toMatchObject({ status: "added", additions: 1, deletions: 0 });
    expect(byPath["docs/logo.png"]).toMatchObject({ status: "added", binary: true, additions: null });
    expect(byPath["src/new-name.ts"]).toMatchObject({ status: "renamed", oldPath: "src/old-name.ts" });
    expect(byPath["src/remove-me.txt"]).toMatchObject({ status: "deleted", deletions: 1 });
    expect(changes.diff?.totals).toMatchObject({ files: 5 });
    expect(changes.diff?.patch).toContain("rename from src/old-name.ts");

    const fresh = await createRunRow(s.t.org.id, s.project.id, { number: 2 });
    expect((await compareRun(s.ctx, fresh.id)).state).toBe("no_branch");
    const idle = await createRunRow(s.t.org.id, s.project.id, {
      number: 3,
      branch: "dm/3-idle",
      baseCommit: s.base,
    });
    expect(await compareRun(s.ctx, idle.id)).toMatchObject({ state: "no_commits", commits: [], diff: null });
  });

  it("streams a zip or a tar.gz of any commit, listing its files under <project>-<short sha>/", async () => {
    const s = await seeded();
    const zip = await archive(s.ctx, s.project.slug, { ref: BRANCH, format: "zip" });
    const prefix = `${s.project.slug}-${s.c2.slice(0, 7)}/`;
    expect(zip.filename).toBe(`${s.project.slug}-${s.c2.slice(0, 7)}.zip`);
    const names = zipEntries(await readStream(zip.stream)).filter((n) => !n.endsWith("/"));
    expect(names.sort()).toEqual(
      ["README.md", "docs/logo.png", "src/app.ts", "src/new-name.ts"].map((n) => prefix + n),
    );
    const tgz = await archive(s.ctx, s.project.slug, { ref: s.base, format: "tar.gz" });
    const entries = tarGzEntries(await readStream(tgz.stream)).filter((n) => !n.endsWith("/"));
    const basePrefix = `${s.project.slug}-${s.base.slice(0, 7)}/`;
    expect(entries.sort()).toEqual(
      ["README.md", "src/old-name.ts", "src/remove-me.txt"].map((n) => basePrefix + n),
    );
  });

  it("is confined to the caller's organization", async () => {
    const s = await seeded();
    const outsider = await resolveOrgContext(s.t.outsider, s.t.otherOrg.slug, "projects.read", meta);
    await rejects(listBranches(outsider, s.project.slug), "not_found");
    await rejects(readTree(outsider, s.project.slug, {}), "not_found");
    await rejects(readBlob(outsider, s.project.slug, { path: "README.md" }), "not_found");
    await rejects(listCommits(outsider, s.project.slug, {}), "not_found");
    await rejects(readCommit(outsider, s.project.slug, s.c1), "not_found");
    await rejects(compareRun(outsider, s.run.id), "not_found");
    await rejects(archive(outsider, s.project.slug, { format: "zip" }), "not_found");
  });

  it("refuses refs and paths that git could read as options, revisions or escapes", async () => {
    const s = await seeded();
    const badRefs = [
      "-h",
      "--output=/tmp/dm-codeui-pwned",
      "HEAD@{-1}",
      "main@{1}",
      "main..stray",
      "main~1",
      "main^",
      "HEAD:README.md",
      "a\0b",
      "x".repeat(300),
      "a b",
      "refs/heads/../x",
    ];
    for (const ref of badRefs) {
      await rejects(readTree(s.ctx, s.project.slug, { ref }), "bad_request");
      await rejects(listCommits(s.ctx, s.project.slug, { ref }), "bad_request");
      await rejects(archive(s.ctx, s.project.slug, { ref, format: "zip" }), "bad_request");
    }
    await rejects(readCommit(s.ctx, s.project.slug, "--output=/tmp/dm-codeui-pwned"), "bad_request");
    expect(existsSync("/tmp/dm-codeui-pwned")).toBe(false);
    // Refs that look fine but are not branches or commits here: 404, git never treats them as options.
    await rejects(readTree(s.ctx, s.project.slug, { ref: "HEAD" }), "not_found");
    await rejects(readTree(s.ctx, s.project.slug, { ref: "origin/main" }), "not_found");

    const badPaths = [
      "../x",
      "src/../../etc/passwd",
      "/etc/passwd",
      "a\0b",
      "a//b",
      "./README.md",
      ".git/config",
      "x".repeat(5000),
    ];
    for (const path of badPaths) {
      await rejects(readTree(s.ctx, s.project.slug, { path }), "bad_request");
      await rejects(readBlob(s.ctx, s.project.slug, { path }), "bad_request");
      await rejects(listCommits(s.ctx, s.project.slug, { path }), "bad_request");
    }
    // A path that starts with '-' is just a (missing) file name.
    await rejects(readBlob(s.ctx, s.project.slug, { path: "--output=/tmp/dm-codeui-pwned" }), "not_found");
    await rejects(listCommits(s.ctx, s.project.slug, { cursor: "-1" }), "bad_request");
    expect(existsSync("/tmp/dm-codeui-pwned")).toBe(false);
    const { stdout } = await gitBare(s.origin, ["rev-parse", "main"]);
    expect(stdout.trim()).toBe(s.base);
  });
});
