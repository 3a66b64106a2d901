/**
 * A child process for the run-function SIGKILL test (tests/runs/run-crash.test.ts): serves the
 * real agent-run function on the embedded engine with the scripted model. Without STATE_FILE
 * present it seeds an organization and a run and starts it. With CRASH_AFTER=artifact it kills
 * itself (SIGKILL) right after the first model-call step that wrote an artifact returned: its
 * artifact, events and usage committed, its result not yet stored by the engine. With
 * CRASH_AFTER=commit it does so right after the first merge step committed a task to the run
 * branch (the commit on the branch, the row and its event written, the step's result not stored). With REPORT it approves gates until the run ends, writes what the run
 * stored there as JSON and exits.
 */

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { and, asc, eq } from "drizzle-orm";
import { dbDriver, getDb } from "@/db";
import { approvals, artifacts, modelCalls, projects, runEvents, runs, runTasks } from "@/db/schema";
import { approvalDecided, runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import { createDemoModel } from "@/lib/ai/demo-model";
import { gitBare } from "@/lib/repos/git";
import { originPath } from "@/lib/repos/paths";
import { createTestApp } from "@/tests/engine/support/harness";
import { createTeam } from "@/tests/support/factories";

const stateFile = process.env.STATE_FILE as string;
const crashAfter = process.env.CRASH_AFTER;
// A stable id: function ids (and so the runs a restarted process resumes) derive from it.
const app = createTestApp("runcrash");
const client = app.client;

const model = createDemoModel({ chunkDelayMs: 0 });
const agentRun = createAgentRunFunction(client, {
  resolveModel: async () => ({ model, provider: "demo", modelId: "demo-scripted", isDemo: true }),
  slotPollInterval: "1s",
  approvalPollInterval: "2s",
  runStep: async (id, body) => {
    const result = await body();
    const wrote = (result as { artifactId?: string | null } | null)?.artifactId;
    if (crashAfter === "artifact" && id.startsWith("work-") && id.includes("-call-") && wrote) {
      writeFileSync(`${stateFile}.crashed`, id);
      process.kill(process.pid, "SIGKILL");
    }
    const committed = (result as { kind?: string } | null)?.kind === "committed";
    if (crashAfter === "commit" && id.startsWith("merge-") && committed) {
      writeFileSync(`${stateFile}.crashed`, id);
      process.kill(process.pid, "SIGKILL");
    }
    return result;
  },
});

async function seed() {
  const db = await getDb();
  const team = await createTeam();
  const [project] = await db
    .insert(projects)
    .values({
      orgId: team.org.id,
      name: "Portal",
      slug: `p-${crypto.randomUUID().slice(0, 8)}`,
      brief: "A portal.",
    })
    .returning();
  const [run] = await db
    .insert(runs)
    .values({
      orgId: team.org.id,
      projectId: (project as { id: string }).id,
      goal: "Design the architecture of a customer feedback portal.",
      templateSlug: "technical-architecture-overview",
      tokenBudget: 5_000_000,
      usesDemoModel: true,
      startedById: team.owner.id,
    })
    .returning();
  const scope = { orgId: team.org.id, runId: (run as { id: string }).id };
  writeFileSync(stateFile, JSON.stringify(scope));
  await client.send(runRequested.create(scope));
}

async function report(scope: { orgId: string; runId: string }, file: string) {
  const db = await getDb();
  for (;;) {
    const [run] = await db.select().from(runs).where(eq(runs.id, scope.runId));
    if (run && ["completed", "failed", "cancelled", "budget_exhausted"].includes(run.status)) break;
    const pending = await db
      .select()
      .from(approvals)
      .where(and(eq(approvals.runId, scope.runId), eq(approvals.status, "pending")));
    for (const a of pending) {
      await db
        .update(approvals)
        .set({ status: "approved", decidedAt: new Date() })
        .where(eq(approvals.id, a.id));
      await client.send(
        approvalDecided.create({ ...scope, approvalId: a.id, decision: "approved", comment: null }),
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const [run] = await db.select().from(runs).where(eq(runs.id, scope.runId));
  // The run branch's commits since its base, each with its Task trailer.
  const origin = originPath(scope.orgId, String(run?.projectId));
  const { stdout: log } = await gitBare(origin, [
    "log",
    "--format=%H%x1f%(trailers:key=Task,valueonly)%x1e",
    `${run?.baseCommit}..refs/heads/${run?.branch}`,
  ]);
  const commits = log
    .split("\x1e")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [sha, task] = l.split("\x1f");
      return { sha, task: task?.trim() };
    });
  const head = (await gitBare(origin, ["rev-parse", `refs/heads/${run?.branch}`])).stdout.trim();
  const out = {
    run,
    commits,
    head,
    tasks: await db.select().from(runTasks).where(eq(runTasks.runId, scope.runId)),
    artifacts: await db.select().from(artifacts).where(eq(artifacts.runId, scope.runId)),
    events: await db
      .select()
      .from(runEvents)
      .where(eq(runEvents.runId, scope.runId))
      .orderBy(asc(runEvents.seq)),
    calls: await db.select().from(modelCalls).where(eq(modelCalls.runId, scope.runId)),
  };
  writeFileSync(file, JSON.stringify(out));
}

async function main() {
  const _db = await getDb();
  const pglite = (await dbDriver()) === "pglite";
  const { engine } = await app.start([agentRun], {
    pollMs: 50,
    leaseMs: 1000,
    releaseClaimsOnStart: pglite,
    asyncCommit: !pglite,
  });
  if (!existsSync(stateFile)) await seed();
  process.stdout.write("ready\n");
  const file = process.env.REPORT;
  if (!file) return;
  await report(JSON.parse(readFileSync(stateFile, "utf8")), file);
  await engine.stop();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
