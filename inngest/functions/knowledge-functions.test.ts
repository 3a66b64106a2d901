import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb, withTenant } from "@/db";
import { knowledgeDocuments } from "@/db/schema";
import { knowledgeDocumentUploaded, knowledgeRepositoryChanged } from "@/inngest/events";
import { rows } from "@/lib/engine/store";
import { processDocument } from "@/lib/knowledge/process-document";
import { uploadDocument } from "@/lib/knowledge/upload-document";
import { resolveOrgContext } from "@/lib/orgs/context";
import { ensureRepository } from "@/lib/repos/ensure-repository";
import { createTestApp, finishedRuns, resetEngineTables } from "@/tests/engine/support/harness";
import { createTeam } from "@/tests/support/factories";
import { commitToOrigin } from "@/tests/support/repo-fixtures";
import { createProjectRow } from "@/tests/support/run-fixtures";
import { createKnowledgeIndexRepositoryFunction } from "./knowledge-index-repository";
import { createKnowledgeProcessDocumentFunction } from "./knowledge-process-document";

// Uploads announce through the app's client; here the test sends through the harness's.
vi.mock("@/inngest/client", () => ({
  inngest: { send: async () => ({ ids: [] }), createFunction: () => ({}) },
}));

const app = createTestApp();
let failProcessing = false;
const processFn = createKnowledgeProcessDocumentFunction(app.client, async (ref) => {
  if (failProcessing) throw new Error("database went away");
  return processDocument(ref);
});
const indexFn = createKnowledgeIndexRepositoryFunction(app.client);

beforeAll(async () => {
  await resetEngineTables();
  await app.start([processFn, indexFn]);
});
afterAll(() => app.stop());

async function embeddingRequests(orgId: string) {
  const db = await getDb();
  const events = await rows<{ payload: string }>(
    db,
    sql`select payload from engine_events where name = 'knowledge/embeddings.requested'`,
  );
  return events.filter((e) => e.payload.includes(orgId)).length;
}

async function docRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(knowledgeDocuments).where(eq(knowledgeDocuments.id, id));
  return row;
}

describe("knowledge functions", () => {
  it("processes an upload to ready, asks for embeddings; a refusal fails it without retrying; a crash fails it in onFailure", async () => {
    const t = await createTeam();
    const ctx = await resolveOrgContext(t.member, t.org.slug, "knowledge.write", {
      ip: null,
      userAgent: null,
    });
    const send = (documentId: string) =>
      app.client.send(knowledgeDocumentUploaded.create({ orgId: t.org.id, documentId, version: 1 }));
    const fnId = app.fnId("knowledge-process-document");

    const good = await uploadDocument(ctx, {
      file: new File(["# Runbook\n\nPage the oncall."], "runbook.md"),
    });
    await send(good.id);
    const [first] = await finishedRuns(fnId, 1);
    expect(first?.status).toBe("completed");
    expect(await docRow(good.id)).toMatchObject({ status: "ready", chunkCount: 1 });
    expect(await embeddingRequests(t.org.id)).toBe(1);

    const bad = await uploadDocument(ctx, {
      file: new File([new Uint8Array([0xff, 0xfe, 0xfd])], "bad.txt"),
    });
    await send(bad.id);
    const runs = await finishedRuns(fnId, 2);
    // Failed on its first attempt (0-based): a refusal is not retried.
    expect(runs[1]).toMatchObject({ status: "failed", attempts: 0 });
    expect(await docRow(bad.id)).toMatchObject({ status: "failed", error: expect.stringMatching(/UTF-8/) });

    failProcessing = true;
    const crash = await uploadDocument(ctx, { file: new File(["fine text"], "fine.txt") });
    await send(crash.id);
    const crashed = (await finishedRuns(fnId, 3, 30_000))[2];
    // An internal error is retried before it gives up.
    expect(crashed).toMatchObject({ status: "failed" });
    await expect.poll(async () => (await docRow(crash.id))?.status, { timeout: 15_000 }).toBe("failed");
    expect((await docRow(crash.id))?.error).toMatch(/internal error/);
    failProcessing = false;
    expect(await embeddingRequests(t.org.id)).toBe(1);
  });

  it("indexes a repository when its default branch moved", async () => {
    const t = await createTeam();
    const project = await createProjectRow(t.org.id);
    const { origin } = await withTenant({ orgId: t.org.id }, (tx) => ensureRepository(tx, t.org.id, project));
    await commitToOrigin(origin, {
      branch: "main",
      message: "docs",
      changes: [{ path: "docs/guide.md", content: "# Guide\n\nDeploy on Tuesdays.\n" }],
    });
    await app.client.send(knowledgeRepositoryChanged.create({ orgId: t.org.id, projectId: project.id }));
    const [run] = await finishedRuns(app.fnId("knowledge-index-repository"), 1);
    expect(run?.status).toBe("completed");
    expect(JSON.parse(run?.output ?? "{}")).toMatchObject({ saved: 2 });
    expect(await embeddingRequests(t.org.id)).toBe(1);
  });
});
