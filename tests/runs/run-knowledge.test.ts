import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, withTenant } from "@/db";
import { approvals, artifacts, knowledgeDocuments, knowledgeDocumentVersions, runs } from "@/db/schema";
import { approvalDecided, runRequested } from "@/inngest/events";
import { createAgentRunFunction } from "@/inngest/functions/agent-run";
import { createDemoModel } from "@/lib/ai/demo-model";
import { saveTextDocument } from "@/lib/knowledge/save-text-document";
import type { RunDeps } from "@/lib/runs/execute/types";
import { createTestApp, resetEngineTables } from "@/tests/engine/support/harness";
import { createRun, driveToEnd, eventsOf, must, type Scope, tasksOf, type V4 } from "./support/run-support";

/**
 * Knowledge through a whole run on the demo model, every step body run twice: the architect
 * finds the project's uploaded standard (in its context and with `search_knowledge`) and cites
 * it; the insight it records and the run's outcome are kept once each.
 */

let runStep: Required<RunDeps>["runStep"] = (_id, body) => body();
/** The architect's task prompts, to see the knowledge layer. */
const prompts: string[] = [];
const inner = createDemoModel({ chunkDelayMs: 0 });
const capture = (o: { prompt: unknown }) => {
  const text = JSON.stringify(o.prompt);
  if (text.includes("Purpose: task") && text.includes("Agent: system-architect")) prompts.push(text);
};
const model: V4 = {
  specificationVersion: "v4",
  provider: inner.provider,
  modelId: inner.modelId,
  supportedUrls: {},
  doStream: (o) => {
    capture(o);
    return inner.doStream(o);
  },
  doGenerate: (o) => {
    capture(o);
    return inner.doGenerate(o);
  },
};
const app = createTestApp();
const agentRun = createAgentRunFunction(app.client, {
  resolveModel: async () => ({ model, provider: "demo", modelId: "demo-scripted", isDemo: true }),
  runStep: (id, body) => runStep(id, body),
  slotPollInterval: "1s",
  approvalPollInterval: "2s",
  approvalPolls: 30,
  modelCallTimeoutMs: 8_000,
});

beforeAll(async () => {
  await resetEngineTables();
  await app.start([agentRun]);
});
afterAll(() => app.stop());

async function approve(scope: Scope, approvalId: string) {
  const db = await getDb();
  await db
    .update(approvals)
    .set({ status: "approved", comment: "Ship it.", decidedAt: new Date() })
    .where(eq(approvals.id, approvalId));
  await app.client.send(
    approvalDecided.create({ ...scope, approvalId, decision: "approved", comment: "Ship it." }),
  );
}

const STANDARD = [
  "# Architecture standards",
  "",
  "Every portal we build is a modular monolith on Postgres. Customer feedback is stored per tenant",
  "with row-level security on org_id; AI triage runs in a background queue, never in the request.",
].join("\n");

describe("run knowledge", () => {
  it("cites the project's uploaded standard, keeps the architect's insight and the run outcome, once each", async () => {
    const { team, run, scope } = await createRun();
    const other = await createRun();
    const upload = await withTenant({ orgId: team.org.id }, (tx) =>
      saveTextDocument(tx, {
        orgId: team.org.id,
        projectId: run.projectId,
        source: "upload",
        key: "upload:test:standards",
        title: "Platform standards",
        text: STANDARD,
        format: "markdown",
      }),
    );
    // The same words in another organization: never offered, never cited.
    const foreign = await withTenant({ orgId: other.team.org.id }, (tx) =>
      saveTextDocument(tx, {
        orgId: other.team.org.id,
        projectId: null,
        source: "upload",
        key: "upload:test:foreign",
        title: "Foreign standards",
        text: STANDARD,
        format: "markdown",
      }),
    );

    runStep = async (_id, body) => {
      await body();
      return body();
    };
    await app.client.send(runRequested.create(scope));
    const finished = await driveToEnd(scope, approve, 110_000);
    runStep = (_id, body) => body();
    expect(finished.status).toBe("completed");

    const db = await getDb();
    const tasks = await tasksOf(scope.runId);
    const architectTask = must(tasks.find((t) => t.agentSlug === "system-architect"));
    const [overview] = await db
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.runId, scope.runId), eq(artifacts.kind, "architecture_overview")));
    const content = must(overview).content;
    // Its context listed the standard by reference (title, citation and id).
    expect(prompts.length).toBeGreaterThan(0);
    const first = must(prompts[0]);
    expect(first).toContain("## Knowledge that may apply");
    expect(first).toContain(`«Platform standards» (upload, \`${upload.id}\`)`);
    expect(first).not.toContain(foreign.id);
    expect(content).toContain("### Sources");
    expect(content).toContain("Platform standards");
    expect(content).toContain(upload.id);
    expect(content).not.toContain(foreign.id);
    expect(content).not.toContain("Foreign standards");

    // The insight the architect recorded: one document, with its run, task and agent.
    const insights = await db
      .select()
      .from(knowledgeDocuments)
      .where(and(eq(knowledgeDocuments.runId, scope.runId), eq(knowledgeDocuments.source, "insight")));
    expect(insights).toHaveLength(1);
    expect(insights[0]).toMatchObject({
      orgId: team.org.id,
      projectId: run.projectId,
      taskId: architectTask.id,
      agentSlug: "system-architect",
      status: "ready",
    });
    expect(insights[0]?.chunkCount).toBeGreaterThan(0);
    const events = await eventsOf(scope.runId);
    expect(events.filter((e) => e.type === "insight")).toHaveLength(1);

    // The outcome: goal, status, summary and the decisions on its approvals, kept once.
    const outcomes = await db
      .select()
      .from(knowledgeDocuments)
      .where(eq(knowledgeDocuments.key, `run:${scope.runId}`));
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ source: "run_outcome", projectId: run.projectId, currentVersion: 1 });
    const [version] = await db
      .select()
      .from(knowledgeDocumentVersions)
      .where(eq(knowledgeDocumentVersions.documentId, must(outcomes[0]).id));
    const text = must(version?.text);
    const [row] = await db.select().from(runs).where(eq(runs.id, scope.runId));
    expect(text).toContain(run.goal);
    expect(text).toContain("Status: completed");
    expect(text).toContain("## Summary");
    expect(text).not.toContain("No summary was written.");
    expect(row?.summaryArtifactId).toBeTruthy();
    const decided = await db.select().from(approvals).where(eq(approvals.runId, scope.runId));
    expect(decided.length).toBeGreaterThan(0);
    for (const a of decided) expect(text).toContain(`${a.title}: approved`);
    expect(text).toContain("Ship it.");
  }, 150_000);
});
