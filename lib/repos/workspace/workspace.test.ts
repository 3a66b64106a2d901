import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { git, gitBare } from "../git";
import { initOrigin } from "../init-origin";
import { commitMessage, findTaskCommit, mergeTaskWork } from "./merge";
import { attemptStartRef, callSnapshotRef } from "./refs";
import {
  baseOf,
  conflictFilesOf,
  conflictStart,
  openWorkingCopy,
  resolveCommit,
  snapshotWithFiles,
  snapshotWorkingCopy,
} from "./working-copy";

const scratch = await mkdtemp(path.join(tmpdir(), "workspace-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const runId = randomUUID();

async function origin() {
  const dir = path.join(scratch, `${randomUUID()}.git`);
  await initOrigin(dir, {
    defaultBranch: "main",
    files: [{ path: "README.md", content: "# Title\n\nBody.\n" }],
  });
  const head = (await resolveCommit(dir, "refs/heads/main")) as string;
  await gitBare(dir, ["update-ref", "refs/heads/dm/1-x", head, ""]);
  return { dir, head };
}

const agent = { slug: "coder", name: "Coder" };

/** One task's work from `base`: files written in a working copy, snapshotted. */
async function work(o: string, base: string, files: Record<string, string>) {
  const taskId = randomUUID();
  const dir = path.join(scratch, "wc", taskId);
  await openWorkingCopy(o, dir, { base, from: base });
  for (const [p, c] of Object.entries(files)) await writeFile(path.join(dir, p), c);
  const snap = await snapshotWorkingCopy(o, dir, { base, from: base }, callSnapshotRef(runId, taskId, 1, 0));
  return { taskId, dir, snap };
}

describe("task working copies", () => {
  it("snapshots deterministically and restores a lost or dirty copy to the snapshot", async () => {
    const { dir: o, head } = await origin();
    const { taskId, dir, snap } = await work(o, head, { "a.txt": "A\n" });
    // The same tree on the same parent is the same commit, whoever takes it.
    const again = await snapshotWorkingCopy(
      o,
      dir,
      { base: head, from: head },
      callSnapshotRef(runId, taskId, 1, 0),
    );
    expect(again).toBe(snap);
    expect(await baseOf(o, snap)).toBe(head);
    expect(await resolveCommit(o, callSnapshotRef(runId, taskId, 1, 0))).toBe(snap);

    await writeFile(path.join(dir, "junk.txt"), "half-written");
    await writeFile(path.join(dir, "a.txt"), "clobbered");
    await openWorkingCopy(o, dir, { base: head, from: snap });
    expect(await readFile(path.join(dir, "a.txt"), "utf8")).toBe("A\n");
    await expect(readFile(path.join(dir, "junk.txt"), "utf8")).rejects.toThrow();
    // HEAD stays at the base, so the task's changes show against it.
    const { stdout: status } = await git(["status", "--porcelain"], { cwd: dir });
    expect(status).toContain("a.txt");

    await rm(dir, { recursive: true, force: true });
    await openWorkingCopy(o, dir, { base: head, from: snap });
    expect(await readFile(path.join(dir, "a.txt"), "utf8")).toBe("A\n");
    // The clone borrows the origin's objects; nothing machine-local is written into the origin.
    const { stdout: worktrees } = await gitBare(o, ["worktree", "list", "--porcelain"]);
    expect(worktrees.split("\n").filter((l) => l.startsWith("worktree "))).toHaveLength(1);
  });

  it("adds documents to a snapshot without a working copy", async () => {
    const { dir: o, head } = await origin();
    const ref = `refs/dm/task/${runId}/${randomUUID()}`;
    const sha = await snapshotWithFiles(
      o,
      { base: head, from: head },
      [{ path: "docs/prd/x.md", content: "PRD" }],
      ref,
    );
    expect((await gitBare(o, ["show", `${sha}:docs/prd/x.md`])).stdout).toBe("PRD");
    expect((await gitBare(o, ["show", `${sha}:README.md`])).stdout).toContain("# Title");
  });

  it("leaves a document out rather than replace a docs entry that is a symlink or a file", async () => {
    const { dir: o, head } = await origin();
    // An imported tree whose `docs` is a symlink to /etc.
    const { stdout: link } = await gitBare(o, ["hash-object", "-w", "--stdin"], { input: "/etc" });
    const { stdout: readme } = await gitBare(o, ["rev-parse", `${head}:README.md`]);
    const { stdout: tree } = await gitBare(o, ["mktree"], {
      input: `120000 blob ${link.trim()}\tdocs\n100644 blob ${readme.trim()}\tREADME.md\n`,
    });
    const { stdout: commit } = await gitBare(o, ["commit-tree", tree.trim(), "-p", head, "-m", "docs link"]);
    const from = commit.trim();
    const sha = await snapshotWithFiles(
      o,
      { base: from, from },
      [
        { path: "docs/prd/x.md", content: "PRD" },
        { path: "notes/y.md", content: "kept" },
      ],
      `refs/dm/task/${runId}/${randomUUID()}`,
    );
    const { stdout: listing } = await gitBare(o, ["ls-tree", "-r", sha]);
    expect(listing).toMatch(/^120000 blob \S+\tdocs$/m);
    expect(listing).not.toContain("docs/prd");
    expect((await gitBare(o, ["show", `${sha}:notes/y.md`])).stdout).toBe("kept");
  });
});

describe("merging accepted tasks", () => {
  const commit = (taskId: string) => ({
    runId,
    taskId,
    agent,
    message: commitMessage(`k: ${taskId}`, { runId, taskId, agent }),
  });

  it("merges parallel tasks that touch different files, each as one commit found by its trailer", async () => {
    const { dir: o, head } = await origin();
    const a = await work(o, head, { "a.txt": "A\n" });
    const b = await work(o, head, { "b.txt": "B\n" });
    const ma = await mergeTaskWork(o, "dm/1-x", a.snap, commit(a.taskId));
    const mb = await mergeTaskWork(o, "dm/1-x", b.snap, commit(b.taskId));
    expect(ma.kind).toBe("committed");
    expect(mb.kind).toBe("committed");
    const tip = (await resolveCommit(o, "refs/heads/dm/1-x")) as string;
    expect(
      (await gitBare(o, ["ls-tree", "--name-only", tip])).stdout.split("\n").filter(Boolean).sort(),
    ).toEqual(["README.md", "a.txt", "b.txt"]);
    expect((await gitBare(o, ["rev-list", "--count", `${head}..${tip}`])).stdout.trim()).toBe("2");
    expect(await findTaskCommit(o, "dm/1-x", head, a.taskId)).toBe(ma.kind === "committed" ? ma.sha : "");
    expect(await findTaskCommit(o, "dm/1-x", head, randomUUID())).toBeNull();
    const { stdout: who } = await gitBare(o, ["log", "-1", "--format=%an <%ae>|%cn", tip]);
    expect(who.trim()).toBe("Coder (DafnckMachine) <coder@agents.dafnckmachine.local>|DafnckMachine");
  });

  it("reports a conflict without touching the branch, and starts the rework from the head with markers", async () => {
    const { dir: o, head } = await origin();
    const a = await work(o, head, { "README.md": "# Left\n\nBody.\n" });
    const b = await work(o, head, { "README.md": "# Right\n\nBody.\n" });
    await mergeTaskWork(o, "dm/1-x", a.snap, commit(a.taskId));
    const tip = await resolveCommit(o, "refs/heads/dm/1-x");
    const conflict = await mergeTaskWork(o, "dm/1-x", b.snap, commit(b.taskId));
    expect(conflict).toMatchObject({ kind: "conflict", files: ["README.md"], head: tip });
    expect(await resolveCommit(o, "refs/heads/dm/1-x")).toBe(tip);
    if (conflict.kind !== "conflict") return;
    const start = await conflictStart(
      o,
      conflict.tree,
      conflict.head,
      b.snap,
      conflict.files,
      attemptStartRef(runId, b.taskId, 2),
    );
    expect(await baseOf(o, start)).toBe(tip);
    expect(await conflictFilesOf(o, start)).toEqual(["README.md"]);
    await openWorkingCopy(o, b.dir, { base: tip as string, from: start });
    const text = await readFile(path.join(b.dir, "README.md"), "utf8");
    expect(text).toMatch(/^<<<<<<< .*\n# Left\n=======\n# Right\n>>>>>>> .*\n\nBody.\n$/);
    // Resolved and merged again: the merge base is now the head the rework started from.
    await writeFile(path.join(b.dir, "README.md"), "# Left and right\n\nBody.\n");
    const resolved = await snapshotWorkingCopy(
      o,
      b.dir,
      { base: tip as string, from: start },
      callSnapshotRef(runId, b.taskId, 2, 0),
    );
    const merged = await mergeTaskWork(o, "dm/1-x", resolved, commit(b.taskId));
    expect(merged.kind).toBe("committed");
    const final = (await resolveCommit(o, "refs/heads/dm/1-x")) as string;
    expect((await gitBare(o, ["show", `${final}:README.md`])).stdout).toBe("# Left and right\n\nBody.\n");
    expect((await gitBare(o, ["rev-list", "--parents", "-1", final])).stdout.trim().split(" ")).toHaveLength(
      2,
    );
  });

  it("makes no commit for a task that changed nothing", async () => {
    const { dir: o, head } = await origin();
    const a = await work(o, head, {});
    expect(await mergeTaskWork(o, "dm/1-x", a.snap, commit(a.taskId))).toEqual({ kind: "empty", sha: head });
  });
});
