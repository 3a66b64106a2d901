import { existsSync } from "node:fs";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb, withTenant } from "@/db";
import { runs, runTasks } from "@/db/schema";
import { ensureRepository } from "@/lib/repos/ensure-repository";
import { gitBare } from "@/lib/repos/git";
import { createTeam } from "@/tests/support/factories";
import { errorOf, routeArgs } from "@/tests/support/org-helpers";
import { commitToOrigin, zipEntries } from "@/tests/support/repo-fixtures";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { actAs } from "@/tests/support/session";
import * as changesRoute from "../../../runs/[run]/changes/route";
import * as archiveRoute from "./archive/route";
import * as blobRoute from "./blob/route";
import * as branchesRoute from "./branches/route";
import * as commitRoute from "./commits/[sha]/route";
import * as commitsRoute from "./commits/route";
import * as treeRoute from "./tree/route";

vi.mock("@/inngest/client", () => ({ inngest: { send: async () => ({ ids: ["x"] }) } }));

type Handler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;

const get = (handler: Handler, params: Record<string, string>, query = "") =>
  handler(
    new Request(`http://localhost/api/x${query}`, { headers: { "user-agent": "vitest" } }),
    routeArgs(params),
  );

async function seeded() {
  const t = await createTeam();
  const project = await createProjectRow(t.org.id);
  const { origin } = await withTenant({ orgId: t.org.id }, (tx) => ensureRepository(tx, t.org.id, project));
  const run = await createRunRow(t.org.id, project.id, { number: 1, branch: "dm/1-x" });
  const db = await getDb();
  const [task] = await db
    .insert(runTasks)
    .values({
      orgId: t.org.id,
      runId: run.id,
      key: "T1",
      phaseKey: "build",
      title: "Add it",
      agentSlug: "coder",
    })
    .returning();
  const { stdout } = await gitBare(origin, ["rev-parse", "main"]);
  const base = stdout.trim();
  const head = await commitToOrigin(origin, {
    branch: "dm/1-x",
    from: base,
    author: { name: "Coder (DafnckMachine)", email: "coder@agents.dafnckmachine" },
    message: "T1: Add it",
    trailers: { Run: run.id, Task: task?.id ?? "", Agent: "coder" },
    changes: [{ path: "src/ünï code.ts", content: "export const x = 1;\n" }],
  });
  await db.update(runs).set({ baseCommit: base, headCommit: head }).where(eq(runs.id, run.id));
  return { t, project, run, base, head, p: { org: t.org.slug, project: project.slug } };
}

describe("code routes", () => {
  it("answers a viewer: branches, tree, file (JSON and raw), history, commit, archive, run changes", async () => {
    const s = await seeded();
    actAs(s.t.viewer);
    const branches = await get(branchesRoute.GET, s.p);
    expect(branches.status).toBe(200);
    expect((await branches.json()).branches.map((b: { name: string }) => b.name)).toEqual(["main", "dm/1-x"]);

    const tree = await get(treeRoute.GET, s.p, "?ref=dm%2F1-x&path=src");
    expect(tree.status).toBe(200);
    expect((await tree.json()).entries.map((e: { name: string }) => e.name)).toEqual(["ünï code.ts"]);

    const blob = await get(
      blobRoute.GET,
      s.p,
      `?ref=${s.head}&path=${encodeURIComponent("src/ünï code.ts")}`,
    );
    expect(await blob.json()).toMatchObject({ content: "export const x = 1;\n", language: "typescript" });
    const raw = await get(
      blobRoute.GET,
      s.p,
      `?ref=${s.head}&path=${encodeURIComponent("src/ünï code.ts")}&raw=1`,
    );
    expect(raw.status).toBe(200);
    expect(raw.headers.get("content-disposition")).toBe(
      `attachment; filename="_n_ code.ts"; filename*=UTF-8''${encodeURIComponent("ünï code.ts")}`,
    );
    expect(raw.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await raw.text()).toBe("export const x = 1;\n");

    const commits = await get(commitsRoute.GET, s.p, "?ref=dm%2F1-x&limit=1");
    const page = await commits.json();
    expect(page.commits[0]).toMatchObject({
      sha: s.head,
      run: { number: 1 },
      task: { key: "T1" },
      agent: { name: "Coder" },
    });
    expect(page.nextCursor).toBe("1");

    const commit = await get(commitRoute.GET, { ...s.p, sha: s.head.slice(0, 7) });
    expect((await commit.json()).diff.files).toEqual([
      expect.objectContaining({ path: "src/ünï code.ts", status: "added" }),
    ]);

    const zip = await get(archiveRoute.GET, s.p, "?ref=dm%2F1-x");
    expect(zip.status).toBe(200);
    const name = `${s.project.slug}-${s.head.slice(0, 7)}`;
    expect(zip.headers.get("content-type")).toBe("application/zip");
    expect(zip.headers.get("content-disposition")).toContain(`filename="${name}.zip"`);
    const names = zipEntries(Buffer.from(await zip.arrayBuffer()));
    expect(names).toContain(`${name}/src/ünï code.ts`);
    const tgz = await get(archiveRoute.GET, s.p, "?format=tar.gz");
    expect(tgz.headers.get("content-type")).toBe("application/gzip");
    expect(tgz.headers.get("content-disposition")).toContain(
      `filename="${s.project.slug}-${s.base.slice(0, 7)}.tar.gz"`,
    );

    const changes = await get(changesRoute.GET, { org: s.t.org.slug, run: s.run.id });
    expect(changes.status).toBe(200);
    expect(await changes.json()).toMatchObject({
      state: "ready",
      tasks: [{ key: "T1", commitSha: s.head }],
      diff: { totals: { files: 1, additions: 1, deletions: 0 } },
    });
  });

  it("answers 404 to another organization on every route", async () => {
    const s = await seeded();
    const other = await createProjectRow(s.t.otherOrg.id);
    const theirs = { org: s.t.otherOrg.slug, project: s.project.slug };
    actAs(s.t.outsider);
    const cases: [Handler, Record<string, string>][] = [
      [branchesRoute.GET, s.p],
      [treeRoute.GET, s.p],
      [blobRoute.GET, s.p],
      [commitsRoute.GET, s.p],
      [commitRoute.GET, { ...s.p, sha: s.head }],
      [archiveRoute.GET, s.p],
      [branchesRoute.GET, theirs],
      [treeRoute.GET, theirs],
      [blobRoute.GET, theirs],
      [commitsRoute.GET, theirs],
      [commitRoute.GET, { ...theirs, sha: s.head }],
      [archiveRoute.GET, theirs],
    ];
    for (const [handler, params] of cases) {
      const res = await get(handler, params, "?path=README.md");
      expect(res.status, JSON.stringify(params)).toBe(404);
    }
    expect((await get(changesRoute.GET, { org: s.t.org.slug, run: s.run.id })).status).toBe(404);
    expect((await get(changesRoute.GET, { org: s.t.otherOrg.slug, run: s.run.id })).status).toBe(404);
    // The outsider's own project still reads.
    expect((await get(treeRoute.GET, { org: s.t.otherOrg.slug, project: other.slug })).status).toBe(200);
    actAs(null);
    expect((await get(treeRoute.GET, s.p)).status).toBe(401);
  });

  it("answers 400 to refs and paths that are options, revisions or escapes, and 404 to unknown ones", async () => {
    const s = await seeded();
    actAs(s.t.viewer);
    const bad = [
      "-h",
      "--output=/tmp/dm-codeui-route",
      "HEAD@{-1}",
      "main~1",
      "main..dm/1-x",
      "x".repeat(300),
    ];
    for (const ref of bad) {
      const q = `?ref=${encodeURIComponent(ref)}`;
      for (const handler of [treeRoute.GET, commitsRoute.GET, archiveRoute.GET]) {
        const res = await get(handler, s.p, q);
        expect(res.status, ref).toBe(400);
      }
      expect((await get(blobRoute.GET, s.p, `${q}&path=README.md`)).status).toBe(400);
      expect((await get(commitRoute.GET, { ...s.p, sha: ref })).status).toBe(400);
    }
    for (const path of ["../etc/passwd", "/etc/passwd", "a/../../b", ".git/config"]) {
      const q = `?path=${encodeURIComponent(path)}`;
      expect((await get(treeRoute.GET, s.p, q)).status, path).toBe(400);
      expect((await get(blobRoute.GET, s.p, q)).status, path).toBe(400);
      expect((await get(blobRoute.GET, s.p, `${q}&raw=1`)).status, path).toBe(400);
    }
    expect((await get(treeRoute.GET, s.p, "?path=a%00b")).status).toBe(400);
    expect((await get(treeRoute.GET, s.p, "?ref=a%00b")).status).toBe(400);
    expect(existsSync("/tmp/dm-codeui-route")).toBe(false);

    const missingRef = await get(treeRoute.GET, s.p, "?ref=nope");
    expect(missingRef.status).toBe(404);
    expect((await errorOf(missingRef)).message).toBe('No branch or commit "nope" in this repository.');
    const missingPath = await get(blobRoute.GET, s.p, "?path=src/nothing.ts");
    expect(missingPath.status).toBe(404);
    expect((await errorOf(missingPath)).message).toBe('No file "src/nothing.ts" at main.');
    expect((await get(commitRoute.GET, { ...s.p, sha: "0000000000" })).status).toBe(404);
    expect((await get(archiveRoute.GET, s.p, "?format=rar")).status).toBe(422);
    expect((await get(changesRoute.GET, { org: s.t.org.slug, run: "not-a-uuid" })).status).toBe(404);
  });
});
