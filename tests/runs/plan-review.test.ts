import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { approvals, auditLogs, runs, runTasks } from "@/db/schema";
import { approvalDecided, runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import { authenticateApiKey } from "@/lib/api-keys/authenticate";
import { apiKeyContext } from "@/lib/api-keys/key-context";
import { AppError } from "@/lib/errors";
import { resolveOrgContext } from "@/lib/orgs/context";
import { updateProjectContext } from "@/lib/projects/update-project-context";
import { gitBare } from "@/lib/repos/git";
import { originPath } from "@/lib/repos/paths";
import { PLAN_REVIEW_REASON } from "@/lib/runs/execute/plan-review";
import type { ModelResolver, RunDeps } from "@/lib/runs/execute/types";
import {
  addRunTask,
  approveRunPlan,
  claimExternalTask,
  completeExternalTask,
  updateRunTask,
  updateTaskContext,
} from "@/lib/runs/plan-edit";
import { createTestApp, eventually, resetEngineTables } from "@/tests/engine/support/harness";
import { mintApiKey } from "@/tests/support/api-keys";
import {
  createRun,
  demo,
  driveToEnd,
  eventsOf,
  runRow,
  type Scope,
  tasksOf,
  type V4,
} from "./support/run-support";

/**
 * Plans people change, on the real run function with the demo model: a run started with "review
 * the plan first" waits after planning, takes the edits made meanwhile, and goes on once a member
 * approves; an external worker's task is handed out, claimed, handed in, gated (rejected once, the
 * feedback in its context) and accepted, and the run finishes.
 */

// The verbs' own events are dropped, as if lost: the run must see each change through its poll.
const dropped = vi.hoisted(() => ({ names: [] as string[] }));
vi.mock("@/inngest/client", async (importOriginal) => {
  const mod = await importOriginal<typeof import("@/inngest/client")>();
  (mod.inngest as unknown as { send: (e: { name: string }) => Promise<unknown> }).send = async (e) => {
    dropped.names.push(e.name);
    return { ids: [] };
  };
  return mod;
});

let runStep: Required<RunDeps>["runStep"] = (_id, body) => body();
/** Every prompt the agents were sent, as text. */
const prompts: string[] = [];
const demoModel = demo();
const recording: ModelResolver = async (...args) => {
  const resolved = await demoModel(...args);
  const inner = resolved.model as V4;
  const model: V4 = {
    ...inner,
    doGenerate: (o) => {
      prompts.push(JSON.stringify(o.prompt));
      return inner.doGenerate(o);
    },
    doStream: (o) => {
      prompts.push(JSON.stringify(o.prompt));
      return inner.doStream(o);
    },
  };
  return { ...resolved, model };
};
const app = createTestApp();
const agentRun = createAgentRunFunction(app.client, {
  resolveModel: recording,
  runStep: (id, body) => runStep(id, body),
  slotPollInterval: "1s",
  approvalPollInterval: "1s",
  approvalPolls: 120,
  modelCallTimeoutMs: 8_000,
});

beforeAll(async () => {
  await resetEngineTables();
  await app.start([agentRun]);
});
afterAll(() => app.stop());

const meta = { ip: "198.51.100.7", userAgent: "vitest" };

async function approve(scope: Scope, approvalId: string) {
  const db = await getDb();
  await db
    .update(approvals)
    .set({ status: "approved", decidedAt: new Date() })
    .where(eq(approvals.id, approvalId));
  await app.client.send(
    approvalDecided.create({ ...scope, approvalId, decision: "approved", comment: null }),
  );
}

/** A commit on top of `parent` adding one file, written with git plumbing into the origin. */
async function commitFile(origin: string, parent: string, file: string, content: string) {
  const blob = (await gitBare(origin, ["hash-object", "-w", "--stdin"], { input: content })).stdout.trim();
  const listing = (await gitBare(origin, ["ls-tree", parent])).stdout;
  const tree = (
    await gitBare(origin, ["mktree"], { input: `${listing}100644 blob ${blob}\t${file}\n` })
  ).stdout.trim();
  const env = {
    GIT_AUTHOR_NAME: "IDE agent",
    GIT_AUTHOR_EMAIL: "ide@example.com",
    GIT_COMMITTER_NAME: "IDE agent",
    GIT_COMMITTER_EMAIL: "ide@example.com",
  };
  return (
    await gitBare(origin, ["commit-tree", tree, "-p", parent, "-F", "-"], { input: `Add ${file}\n`, env })
  ).stdout.trim();
}

const DOC = ["Overview", "Getting started", "Concepts", "How-to guides", "Reference", "Troubleshooting"]
  .map((s) => `## ${s}\n\nThe release notes explain ${s.toLowerCase()} for the portal's users.`)
  .join("\n\n");

describe("a run started with 'review the plan first'", () => {
  it("waits after planning, takes the edits, runs an external worker's task through the gate and completes", async () => {
    const { team, scope, run } = await createRun();
    const db = await getDb();
    await db.update(runs).set({ reviewPlan: true, branch: null }).where(eq(runs.id, run.id));
    await app.client.send(runRequested.create(scope));

    // Planned, then on hold: nothing starts until a member approves.
    const held = await eventually(async () => {
      const row = await runRow(run.id);
      return row.status === "waiting_approval" && row.statusReason === PLAN_REVIEW_REASON ? row : undefined;
    }, 60_000);
    expect(held.planApprovedAt).toBeNull();
    await new Promise((r) => setTimeout(r, 1_500));
    const planned = await tasksOf(run.id);
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.every((t) => t.status === "todo" && t.startedAt === null)).toBe(true);

    const member = await resolveOrgContext(team.member, team.org.slug, "runs.read", meta);
    const first = planned[0];
    if (!first) throw new Error("no task");
    // An external worker's task, after the first planned task, and a change to a planned one.
    const external = await addRunTask(member, run.id, {
      key: "release-notes",
      title: "Write the release notes",
      description: "Write the release notes of the portal for its users.",
      agentSlug: "documentation-writer",
      phaseKey: first.phaseKey,
      dependsOn: [first.key],
      acceptanceCriteria: ["Covers every section of the documentation"],
      worker: "external",
    });
    await updateRunTask(member, run.id, first.key, { title: `${first.title} (edited)` });
    // Our agents read the context the team keeps on the task and the project.
    await updateTaskContext(member, run.id, first.key, { context: "Mind the EU data residency rule." });
    await updateProjectContext(member, run.projectId, { context: "We deploy on Fly.io." });

    await approveRunPlan(member, run.id);
    expect(dropped.names).toContain("runs/plan.approved");

    // The external task is handed out once its dependency is done; the run waits on it.
    const key = await mintApiKey(team.owner, team.org.slug, ["runs.read", "runs.start"], { name: "cursor" });
    const ide = apiKeyContext(await authenticateApiKey(key.secret, meta), meta);
    await eventually(async () => {
      for (const a of await db
        .select()
        .from(approvals)
        .where(and(eq(approvals.runId, run.id), eq(approvals.status, "pending"))))
        await approve(scope, a.id);
      const [row] = await db.select().from(runTasks).where(eq(runTasks.id, external.id));
      return row?.status === "waiting_worker" ? row : undefined;
    }, 120_000);

    const claim = await claimExternalTask(ide, run.id, "release-notes");
    expect(claim.agent.slug).toBe("documentation-writer");
    expect(claim.context).toContain(first.key);
    const branch = claim.branch;
    const origin = originPath(team.org.id, run.projectId);

    // While the run waits on the worker, a task added to the plan starts (the poll sees it ready).
    const glossary = await addRunTask(member, run.id, {
      key: "glossary",
      title: "Write the glossary",
      description: "Define the portal's terms for its users.",
      agentSlug: "documentation-writer",
      phaseKey: first.phaseKey,
      dependsOn: [],
      acceptanceCriteria: ["Defines every term the portal uses"],
    });
    await eventually(async () => {
      const [row] = await db.select().from(runTasks).where(eq(runTasks.id, glossary.id));
      return row?.status === "done" ? row : undefined;
    }, 60_000);
    expect((await db.select().from(runTasks).where(eq(runTasks.id, external.id)))[0]?.status).toBe(
      "waiting_worker",
    );

    // First hand-in: no sections — the reviewer sends it back, the feedback in the task's context.
    await completeExternalTask(ide, run.id, "release-notes", { summary: "Wrote some notes." });
    const returned = await eventually(async () => {
      const [row] = await db.select().from(runTasks).where(eq(runTasks.id, external.id));
      return row?.status === "waiting_worker" && row.attempts === 1 && row.externalSummary === null
        ? row
        : undefined;
    }, 60_000);
    expect(returned.context).toContain("Feedback from the gate on submission 1");

    // A commit that is not on the run branch is refused; one pushed there is taken.
    const head = (await gitBare(origin, ["rev-parse", `refs/heads/${branch}`])).stdout.trim();
    const stray = await commitFile(origin, head, "stray.md", "not pushed\n");
    const refused = await completeExternalTask(ide, run.id, "release-notes", {
      summary: DOC,
      commit: stray,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(422);
    const pushed = await commitFile(origin, head, "RELEASE-NOTES.md", `${DOC}\n`);
    await gitBare(origin, ["update-ref", `refs/heads/${branch}`, pushed, head]);
    await completeExternalTask(ide, run.id, "release-notes", { summary: DOC, commit: pushed.slice(0, 12) });

    const finished = await driveToEnd(scope, approve, 150_000);
    expect(finished.status).toBe("completed");
    const tasks = await tasksOf(run.id);
    expect(tasks.every((t) => t.status === "done")).toBe(true);
    const notes = tasks.find((t) => t.key === "release-notes");
    expect(notes).toMatchObject({ attempts: 2, externalCommit: pushed });
    expect(tasks.find((t) => t.key === first.key)?.title).toContain("(edited)");
    // The branch still holds the worker's commit; the plan was approved before anything started.
    const tip = (await gitBare(origin, ["rev-parse", `refs/heads/${branch}`])).stdout.trim();
    expect((await gitBare(origin, ["merge-base", "--is-ancestor", pushed, tip], { okCodes: [1] })).code).toBe(
      0,
    );
    const events = await eventsOf(run.id);
    const approvedAt = events.find((e) => e.type === "plan.approved")?.seq ?? 0;
    const firstStart =
      events.find((e) => e.type === "task.status" && e.data.status === "in_progress")?.seq ?? 0;
    expect(approvedAt).toBeGreaterThan(0);
    expect(firstStart).toBeGreaterThan(approvedAt);
    const briefed = prompts.find((p) => p.includes("Mind the EU data residency rule."));
    expect(briefed).toContain("We deploy on Fly.io.");
    const verdicts = events.filter((e) => e.type === "review.verdict" && e.data.taskId === external.id);
    expect(verdicts.map((v) => v.data.verdict)).toEqual(["fail", "pass"]);
    const audit = await db.select().from(auditLogs).where(eq(auditLogs.orgId, team.org.id));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["plan.edit", "plan.approve", "task.claim", "task.complete"]),
    );
  }, 300_000);

  it("writes every effect once when each step body runs twice (at-least-once)", async () => {
    runStep = async (_id, body) => {
      await body();
      return body();
    };
    try {
      const { team, scope, run } = await createRun();
      const db = await getDb();
      await db.update(runs).set({ reviewPlan: true }).where(eq(runs.id, run.id));
      await app.client.send(runRequested.create(scope));
      await eventually(async () => {
        const row = await runRow(run.id);
        return row.status === "waiting_approval" && row.statusReason === PLAN_REVIEW_REASON ? row : undefined;
      }, 60_000);
      const member = await resolveOrgContext(team.member, team.org.slug, "runs.read", meta);
      const [first] = await tasksOf(run.id);
      if (!first) throw new Error("no task");
      const external = await addRunTask(member, run.id, {
        key: "port-it",
        title: "Port the client",
        description: "Port the client to the new API.",
        agentSlug: "coder",
        phaseKey: first.phaseKey,
        dependsOn: [],
        acceptanceCriteria: ["The client uses the new API"],
        worker: "external",
      });
      await approveRunPlan(member, run.id);
      await eventually(async () => {
        for (const a of await db
          .select()
          .from(approvals)
          .where(and(eq(approvals.runId, run.id), eq(approvals.status, "pending"))))
          await approve(scope, a.id);
        const [row] = await db.select().from(runTasks).where(eq(runTasks.id, external.id));
        return row?.status === "waiting_worker" ? row : undefined;
      }, 120_000);
      await completeExternalTask(member, run.id, "port-it", { summary: "Ported the client." });
      const finished = await driveToEnd(scope, approve, 150_000);
      expect(finished.status).toBe("completed");
      const events = await eventsOf(run.id);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      const count = (pred: (e: (typeof events)[number]) => boolean) => events.filter(pred).length;
      expect(count((e) => e.type === "plan.approved")).toBe(1);
      expect(count((e) => e.type === "run.status" && e.data.reason === PLAN_REVIEW_REASON)).toBe(1);
      expect(
        count((e) => e.type === "task.status" && e.data.taskId === external.id && e.data.status === "review"),
      ).toBe(1);
      expect(count((e) => e.type === "review.verdict" && e.data.taskId === external.id)).toBe(1);
      expect(count((e) => e.type === "artifact.saved" && e.data.taskId === external.id)).toBe(1);
      const [row] = await db.select().from(runTasks).where(eq(runTasks.id, external.id));
      expect(row).toMatchObject({ status: "done", attempts: 1 });
    } finally {
      runStep = (_id, body) => body();
    }
  }, 300_000);
});
