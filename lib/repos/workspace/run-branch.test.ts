import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, withTenant } from "@/db";
import { runs } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { ensureRepository } from "../ensure-repository";
import { gitBare } from "../git";
import { commitFilesToBare } from "../init-origin";
import { prepareRunBranch } from "./run-branch";

describe("prepareRunBranch", () => {
  it("never adopts a branch of the same name that it did not make, and keeps its own on a re-run", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const { origin } = await withTenant({ orgId: t.org.id }, (tx) => ensureRepository(tx, t.org.id, project));
    // As if an imported repository held a run branch some other instance pushed.
    const foreign = await commitFilesToBare(
      origin,
      "dm/1-add-csv-export",
      [{ path: "x.txt", content: "theirs\n" }],
      "Elsewhere",
    );
    const run = await createRunRow(t.org.id, project.id, { number: 1, branch: "dm/1-add-csv-export" });
    const first = await prepareRunBranch({ orgId: t.org.id, runId: run.id });
    expect(first.branch).toBe("dm/1-add-csv-export-2");
    const { stdout: main } = await gitBare(origin, ["rev-parse", "refs/heads/main"]);
    expect(first.baseCommit).toBe(main.trim());
    const { stdout: theirs } = await gitBare(origin, ["rev-parse", "refs/heads/dm/1-add-csv-export"]);
    expect(theirs.trim()).toBe(foreign);
    // Run again (at-least-once): the same branch, not a third one.
    const again = await prepareRunBranch({ orgId: t.org.id, runId: run.id });
    expect(again).toEqual(first);
    const db = await getDb();
    const [row] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(row).toMatchObject({ branch: "dm/1-add-csv-export-2", baseCommit: main.trim() });
  });
});
