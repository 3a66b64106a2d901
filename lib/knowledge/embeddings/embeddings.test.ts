import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PUT } from "@/app/api/orgs/[org]/ai-settings/route";
import { getDb, withTenant } from "@/db";
import { auditLogs, knowledgeChunks } from "@/db/schema";
import { knowledgeEmbeddingsRequested } from "@/inngest/events";
import { createKnowledgeEmbedFunction } from "@/inngest/functions/knowledge-embed";
import { providerConfigFromEnv, providerConfigSchema } from "@/lib/ai/providers";
import { rows } from "@/lib/engine/store";
import { UNREACHABLE_MESSAGE } from "@/lib/net/vet-url";
import { createTestApp, finishedRuns, resetEngineTables, runsOf } from "@/tests/engine/support/harness";
import { bagOfWords, type EmbeddingServer, startEmbeddingServer } from "@/tests/support/embedding-server";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { errorOf, jsonRequest, routeArgs } from "@/tests/support/org-helpers";
import { createProjectRow } from "@/tests/support/run-fixtures";
import { actAs } from "@/tests/support/session";
import { saveTextDocument } from "../save-text-document";
import { embedChunkBatch, embeddingText } from "./embed-chunk-batch";
import { embedQuery } from "./embed-query";
import { embeddingModelFor } from "./embedding-model-for";
import { getEmbeddingStatus } from "./embedding-status";
import { normalizeVector } from "./normalize-vector";
import { orgsNeedingEmbeddings } from "./orgs-needing-embeddings";
import { rankByVector } from "./rank-by-vector";
import { resolveEmbeddingModel } from "./resolve-embedding-model";
import { writeEmbeddings } from "./write-embeddings";

/**
 * Embeddings from a real OpenAI-compatible HTTP server on 127.0.0.1 (a hashed bag of words),
 * configured as the organization's provider and reached through the guarded fetch; the Inngest
 * function driven by the embedded engine; ranking on whichever path this database has (the other
 * path runs on dedicated PGlite instances in vector-paths.test.ts).
 */

let server: EmbeddingServer;
const app = createTestApp();
const fnId = app.fnId("knowledge-embed");
const embedFn = createKnowledgeEmbedFunction(app.client, { batchSize: 4, maxBatches: 20 });

beforeAll(async () => {
  setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
  server = await startEmbeddingServer();
  await resetEngineTables();
  await app.start([embedFn]);
});
afterAll(async () => {
  await app.stop();
  await server.close();
  setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: undefined });
});
beforeEach(() => {
  server.requests.length = 0;
  server.handle(() => "default");
});

const put = (slug: string, body: unknown) =>
  PUT(jsonRequest(`/api/orgs/${slug}/ai-settings`, "PUT", body), routeArgs({ org: slug }));
const compatible = (overrides: Record<string, unknown> = {}) => ({
  providerKind: "openai-compatible",
  name: "local",
  baseURL: server.baseURL,
  apiKey: "sk-embed-test",
  modelStandard: "chat-model",
  embeddingModel: "bow-256",
  defaultTokenBudget: 50_000,
  maxConcurrentRuns: 2,
  standards: "",
  ...overrides,
});

const DOCS = {
  postgres:
    "# Postgres tuning\n\n## Vacuum\n\nVacuum and autovacuum keep tables healthy.\n\n## Indexes\n\nIndexes speed up queries on large tables.",
  deploy:
    "# Deploying\n\n## Schedule\n\nThe release train ships every Tuesday.\n\n## Rollback\n\nRollback with the previous container image.",
  style:
    "# Style guide\n\n## Types\n\nUse TypeScript strict mode everywhere.\n\n## Modules\n\nPrefer small modules with one verb per file.",
};

/**
 * A team with three documents (two in a project, one the organization's), then its provider saved
 * through the API: with an embedding model, the save asks for embeddings and the engine runs the
 * function; this waits for that run.
 */
async function setup(embeddingModel = "bow-256") {
  const team = await createTeam();
  const project = await createProjectRow(team.org.id);
  const ids: Record<string, string> = {};
  await withTenant({ orgId: team.org.id }, async (tx) => {
    for (const [key, text] of Object.entries(DOCS)) {
      const saved = await saveTextDocument(tx, {
        orgId: team.org.id,
        projectId: key === "style" ? null : project.id,
        source: "upload",
        key: `test:${key}`,
        title: key,
        text,
        format: "markdown",
      });
      ids[key] = saved.id;
    }
  });
  const before = (await runsOf(fnId)).length;
  actAs(team.admin);
  const res = await put(team.org.slug, compatible({ embeddingModel }));
  expect(res.status, await res.clone().text()).toBe(200);
  const runs = embeddingModel ? await finishedRuns(fnId, before + 1, 30_000) : [];
  return { team, project, ids, run: runs[runs.length - 1] };
}

async function chunksOf(orgId: string) {
  const db = await getDb();
  return db
    .select({
      id: knowledgeChunks.id,
      content: knowledgeChunks.content,
      heading: knowledgeChunks.heading,
      embedding: knowledgeChunks.embedding,
      embeddingModel: knowledgeChunks.embeddingModel,
      documentId: knowledgeChunks.documentId,
    })
    .from(knowledgeChunks)
    .where(eq(knowledgeChunks.orgId, orgId));
}

/** Sends the request through the test client and waits for the run it starts. */
async function runEmbed(orgId: string) {
  const before = (await runsOf(fnId)).length;
  await app.client.send(knowledgeEmbeddingsRequested.create({ orgId, reason: "test" }));
  const done = await finishedRuns(fnId, before + 1, 30_000);
  return done[done.length - 1];
}

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe("the organization's embedding model", () => {
  it("comes from the provider: OpenAI and Google defaults, OpenAI-compatible only when named, none for Anthropic, the demo model or `none`", () => {
    const openai = providerConfigSchema.parse({ kind: "openai", apiKey: "k" });
    expect(embeddingModelFor(openai)?.id).toBe("openai:text-embedding-3-small");
    expect(
      embeddingModelFor(
        providerConfigSchema.parse({ kind: "openai", apiKey: "k", embeddingModel: "text-embedding-3-large" }),
      )?.id,
    ).toBe("openai:text-embedding-3-large");
    expect(embeddingModelFor(providerConfigSchema.parse({ kind: "google", apiKey: "k" }))?.id).toBe(
      "google:gemini-embedding-001",
    );
    const local = {
      kind: "openai-compatible",
      name: "ollama",
      baseURL: "http://localhost:11434/v1",
      models: { standard: "llama3" },
    };
    expect(embeddingModelFor(providerConfigSchema.parse(local))).toBeNull();
    expect(
      embeddingModelFor(providerConfigSchema.parse({ ...local, embeddingModel: "nomic-embed-text" }))?.id,
    ).toBe("openai-compatible:nomic-embed-text");
    expect(embeddingModelFor(providerConfigSchema.parse({ kind: "anthropic", apiKey: "k" }))).toBeNull();
    expect(embeddingModelFor({ kind: "demo" })).toBeNull();
    expect(
      embeddingModelFor(providerConfigSchema.parse({ kind: "openai", apiKey: "k", embeddingModel: "none" })),
    ).toBeNull();
  });

  it("is read from AI_EMBEDDING_MODEL for the instance, and refused with Anthropic", () => {
    expect(
      embeddingModelFor(
        providerConfigFromEnv({
          OPENAI_COMPATIBLE_BASE_URL: "http://localhost:11434/v1",
          AI_MODEL_STANDARD: "llama3",
          AI_EMBEDDING_MODEL: "nomic-embed-text",
        }),
      )?.id,
    ).toBe("openai-compatible:nomic-embed-text");
    expect(() => providerConfigFromEnv({ ANTHROPIC_API_KEY: "k", AI_EMBEDDING_MODEL: "x" })).toThrow(
      /Anthropic offers no embedding model/,
    );
  });

  it("is validated in the AI settings: Anthropic has none, ids are model ids; nothing is saved on error", async () => {
    const team = await createTeam();
    actAs(team.admin);
    const anthropic = await put(team.org.slug, {
      ...compatible(),
      providerKind: "anthropic",
      baseURL: "",
      embeddingModel: "voyage-3",
    });
    expect(anthropic.status).toBe(422);
    expect((await errorOf(anthropic)).fieldErrors).toEqual({
      embeddingModel: ["Anthropic offers no embedding model: leave this blank."],
    });
    const bad = await put(team.org.slug, compatible({ embeddingModel: "bow 64; drop table" }));
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).fieldErrors?.embeddingModel?.[0]).toMatch(/model id/);
    expect(await resolveEmbeddingModel(team.org.id)).toBeNull();

    actAs(team.member);
    expect((await put(team.org.slug, compatible())).status).toBe(403);
    expect(await resolveEmbeddingModel(team.org.id)).toBeNull();
  });
});

describe("the knowledge-embed function", () => {
  it("embeds every chunk in batches through the organization's server, as unit vectors tagged with the model", async () => {
    // Saving the provider with an embedding model sent the request; setup waited for its run.
    const { team, run } = await setup();
    expect(run?.status).toBe("completed");
    const chunks = await chunksOf(team.org.id);
    expect(chunks.length).toBeGreaterThan(4);
    for (const c of chunks) {
      expect(c.embeddingModel).toBe("openai-compatible:bow-256");
      expect(c.embedding).toHaveLength(256);
      expect(norm(c.embedding ?? [])).toBeCloseTo(1, 5);
      // The stored vector is the server's for the chunk's headings and text, normalized.
      const expected = normalizeVector(bagOfWords(embeddingText(c.heading, c.content), 256));
      expect(c.embedding?.[1]).toBeCloseTo(expected[1] ?? 0, 5);
    }
    // Batches of 4 (the test's batch size), every request to /embeddings with the org's key.
    expect(server.requests.length).toBe(Math.ceil(chunks.length / 4));
    expect(server.requests.every((r) => r.input.length <= 4 && r.path === "/v1/embeddings")).toBe(true);
    expect(server.requests[0]?.authorization).toBe("Bearer sk-embed-test");
    const status = await getEmbeddingStatus(team.org.id);
    expect(status).toEqual({
      modelId: "openai-compatible:bow-256",
      total: chunks.length,
      embedded: chunks.length,
      lastError: null,
    });

    // Nothing left: another request makes no call.
    server.requests.length = 0;
    expect((await runEmbed(team.org.id))?.status).toBe("completed");
    expect(server.requests).toHaveLength(0);
  });

  it("is idempotent: a batch step run twice writes each chunk once, and never over changed content", async () => {
    // No model in the settings (so no run starts): the test runs the batches with the server's model.
    const { team } = await setup("");
    const model = embeddingModelFor(
      providerConfigSchema.parse({
        kind: "openai-compatible",
        name: "local",
        baseURL: server.baseURL,
        models: { standard: "chat-model" },
        embeddingModel: "bow-256",
      }),
    );
    const first = await embedChunkBatch(team.org.id, { batchSize: 2, model });
    expect(first).toMatchObject({ status: "embedded", embedded: 2 });
    const total = (await chunksOf(team.org.id)).length;
    expect(first.status === "embedded" && first.remaining).toBe(total - 2);

    // The same batch's vectors written again (a step whose result was lost): nothing changes.
    const [chunk] = (await chunksOf(team.org.id)).filter((c) => c.embedding);
    if (!chunk) throw new Error("no embedded chunk");
    const again = await withTenant({ orgId: team.org.id }, (tx) =>
      writeEmbeddings(tx, team.org.id, "openai-compatible:bow-256", [
        { chunkId: chunk.id, version: 1, content: chunk.content, vector: normalizeVector([1, 2, 3]) },
      ]),
    );
    expect(again).toBe(0);
    // A vector computed from text the chunk no longer holds is not written.
    const [other] = (await chunksOf(team.org.id)).filter((c) => !c.embedding);
    if (!other) throw new Error("no pending chunk");
    const stale = await withTenant({ orgId: team.org.id }, (tx) =>
      writeEmbeddings(tx, team.org.id, "openai-compatible:bow-256", [
        {
          chunkId: other.id,
          version: 1,
          content: `${other.content} (edited)`,
          vector: normalizeVector([1, 2, 3]),
        },
      ]),
    );
    expect(stale).toBe(0);
    // Another organization's tenant cannot write this org's chunk.
    const foreign = await withTenant({ orgId: team.otherOrg.id }, (tx) =>
      writeEmbeddings(tx, team.otherOrg.id, "openai-compatible:bow-256", [
        { chunkId: other.id, version: 1, content: other.content, vector: normalizeVector([1, 2, 3]) },
      ]),
    );
    expect(foreign).toBe(0);

    const rest = await embedChunkBatch(team.org.id, { batchSize: 100, model });
    expect(rest).toMatchObject({ status: "embedded", embedded: total - 2, remaining: 0 });
    const none = await embedChunkBatch(team.org.id, { batchSize: 100, model });
    expect(none).toMatchObject({ status: "embedded", embedded: 0, remaining: 0 });
    expect((await chunksOf(team.org.id)).every((c) => c.embeddingModel === "openai-compatible:bow-256")).toBe(
      true,
    );
  });

  it("re-embeds when the model changes (the settings change sends the request); old vectors are ignored meanwhile", async () => {
    const { team, project } = await setup();
    const before = (await runsOf(fnId)).length;
    server.requests.length = 0;
    // Hold the new model's answers until the old vectors have been checked.
    server.handle(() => ({ status: 503, body: { error: { message: "warming up" } } }));
    actAs(team.admin);
    expect((await put(team.org.slug, compatible({ embeddingModel: "bow-32" }))).status).toBe(200);
    const query = await embedQuery(team.org.id, "vacuum tables").catch(() => null);
    expect(query).toBeNull();
    // A query vector from the new model finds no chunk embedded by it yet: null, never old vectors.
    const newQuery = {
      modelId: "openai-compatible:bow-32",
      vector: normalizeVector(bagOfWords("vacuum tables", 32)),
    };
    const meanwhile = await withTenant({ orgId: team.org.id }, (tx) =>
      rankByVector(tx, {
        orgId: team.org.id,
        projectId: project.id,
        queryText: "vacuum tables",
        limit: 5,
        query: newQuery,
      }),
    );
    expect(meanwhile).toBeNull();

    server.handle(() => "default");
    // The settings change's event is picked up by the engine; wait for its run (retries the 503s).
    const runs = await finishedRuns(fnId, before + 1, 60_000);
    expect(runs[runs.length - 1]?.status).toBe("completed");
    const chunks = await chunksOf(team.org.id);
    expect(
      chunks.every((c) => c.embeddingModel === "openai-compatible:bow-32" && c.embedding?.length === 32),
    ).toBe(true);
    expect(server.requests.some((r) => r.model === "bow-32")).toBe(true);
    const ranked = await withTenant({ orgId: team.org.id }, (tx) =>
      rankByVector(tx, {
        orgId: team.org.id,
        projectId: project.id,
        queryText: "vacuum tables",
        limit: 5,
        query: newQuery,
      }),
    );
    expect(ranked?.ranked.length).toBeGreaterThan(0);
  });

  it("does nothing without an embedding model, and search gets null", async () => {
    const { team, project } = await setup("");
    expect(await resolveEmbeddingModel(team.org.id)).toBeNull();
    const run = await runEmbed(team.org.id);
    expect(run?.status).toBe("completed");
    expect(server.requests).toHaveLength(0);
    expect((await chunksOf(team.org.id)).every((c) => c.embedding === null)).toBe(true);
    expect(await embedQuery(team.org.id, "vacuum")).toBeNull();
    const ranked = await withTenant({ orgId: team.org.id }, (tx) =>
      rankByVector(tx, { orgId: team.org.id, projectId: project.id, queryText: "vacuum", limit: 5 }),
    );
    expect(ranked).toBeNull();
    expect(await getEmbeddingStatus(team.org.id)).toMatchObject({ modelId: null, embedded: 0 });
  });

  it("stops on a permanent provider error with a reason the admin sees, once; a transient one is retried", async () => {
    server.handle(() => ({ status: 401, body: { error: { message: "Incorrect API key provided" } } }));
    const { team, run } = await setup();
    expect(run?.status).toBe("completed");
    expect(server.requests).toHaveLength(1);
    const status = await getEmbeddingStatus(team.org.id);
    expect(status.embedded).toBe(0);
    expect(status.lastError?.reason).toBe(
      "The embedding model provider refused the API key (401). Check the key in the AI settings.",
    );
    // Asked again with the same failure: recorded once.
    await runEmbed(team.org.id);
    expect(server.requests).toHaveLength(2);
    const db = await getDb();
    const failures = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, team.org.id), eq(auditLogs.action, "knowledge.embeddings_failed")));
    expect(failures).toHaveLength(1);
    expect(failures[0]?.actorId).toBeNull();

    // A server error then success: the step retries and finishes the work.
    let calls = 0;
    server.handle(() => (++calls === 1 ? { status: 500, body: { error: { message: "boom" } } } : "default"));
    expect((await runEmbed(team.org.id))?.status).toBe("completed");
    const after = await getEmbeddingStatus(team.org.id);
    expect(after.embedded).toBe(after.total);
    expect(after.lastError).toBeNull();
  });

  it("pins a model id to the length of its first vectors: another length is a permanent error with a readable reason", async () => {
    const { team, project } = await setup();
    const model = await resolveEmbeddingModel(team.org.id);
    await withTenant({ orgId: team.org.id }, (tx) =>
      saveTextDocument(tx, {
        orgId: team.org.id,
        projectId: project.id,
        source: "upload",
        key: "test:later",
        title: "later",
        text: "# Later\n\nA passage added after the first embeddings.",
        format: "markdown",
      }),
    );
    server.handle(() => ({ vectors: (input) => input.map((t) => bagOfWords(t, 512)) }));
    const reason =
      "The embedding server returned 512-dimension vectors for openai-compatible:bow-256, earlier 256. Choose another model id to re-embed with a different model.";
    expect(await embedChunkBatch(team.org.id, { model })).toEqual({
      status: "failed",
      modelId: "openai-compatible:bow-256",
      reason,
    });
    const chunks = await chunksOf(team.org.id);
    expect(chunks.filter((c) => c.embedding === null)).toHaveLength(1);
    expect(chunks.every((c) => c.embedding === null || c.embedding.length === 256)).toBe(true);
    expect((await getEmbeddingStatus(team.org.id)).lastError?.reason).toBe(reason);
    // The same length again is accepted.
    server.handle(() => "default");
    expect((await embedChunkBatch(team.org.id, { model })).status).toBe("embedded");
  });

  it("sends every request through the guarded fetch: a loopback server is refused when private addresses are not allowed", async () => {
    const { team } = await setup();
    await withTenant({ orgId: team.org.id }, (tx) =>
      tx
        .update(knowledgeChunks)
        .set({ embedding: null, embeddingModel: null })
        .where(eq(knowledgeChunks.orgId, team.org.id)),
    );
    server.requests.length = 0;
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "0" });
    try {
      await runEmbed(team.org.id);
    } finally {
      setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    }
    expect(server.requests).toHaveLength(0);
    const status = await getEmbeddingStatus(team.org.id);
    expect(status.lastError?.reason).toContain(UNREACHABLE_MESSAGE);
  });
});

describe("the sweep", () => {
  it("finds organizations with chunks missing their model's embeddings, not those done, without a model, or recently failed", async () => {
    const done = await setup();
    const missing = await setup();
    await withTenant({ orgId: missing.team.org.id }, (tx) =>
      tx
        .update(knowledgeChunks)
        .set({ embedding: null, embeddingModel: null })
        .where(eq(knowledgeChunks.orgId, missing.team.org.id)),
    );
    const noModel = await setup("");
    server.handle(() => ({ status: 404, body: { error: { message: "model not found" } } }));
    const failed = await setup();
    expect((await getEmbeddingStatus(failed.team.org.id)).lastError?.reason).toMatch(/404/);

    const due = await orgsNeedingEmbeddings();
    expect(due).toContain(missing.team.org.id);
    expect(due).not.toContain(done.team.org.id);
    expect(due).not.toContain(noModel.team.org.id);
    expect(due).not.toContain(failed.team.org.id);
  });
});

describe("vector ranking on this database", () => {
  it("ranks the scope's chunks by meaning: a project sees its own and the organization's, never another org's or project's", async () => {
    const a = await setup();
    const b = await setup();
    const otherProject = await createProjectRow(a.team.org.id);
    const query = await embedQuery(a.team.org.id, "autovacuum healthy tables");
    if (!query) throw new Error("no query embedding");
    const rank = (orgId: string, projectId: string | null) =>
      withTenant({ orgId }, (tx) => rankByVector(tx, { orgId, projectId, queryText: "", limit: 50, query }));

    const inProject = await rank(a.team.org.id, a.project.id);
    const ids = (inProject?.ranked ?? []).map((r) => r.chunkId);
    const chunksA = await chunksOf(a.team.org.id);
    const contentOf = (id: string) => chunksA.find((c) => c.id === id)?.content;
    expect(contentOf(ids[0] ?? "")).toContain("Vacuum and autovacuum keep tables healthy.");
    expect(ids.sort()).toEqual(chunksA.map((c) => c.id).sort());
    const distances = (inProject?.ranked ?? []).map((r) => r.distance);
    // Three shared words out of about a dozen: clearly nearer than the next passage.
    expect(distances[0]).toBeLessThan(0.7);
    expect((distances[1] ?? 0) - (distances[0] ?? 0)).toBeGreaterThan(0.2);
    expect(distances.every((d) => d >= -1e-6 && d <= 2)).toBe(true);

    // The organization's scope: only its own documents (the style guide).
    const orgScope = await rank(a.team.org.id, null);
    const styleDoc = a.ids.style;
    expect(
      (orgScope?.ranked ?? []).every((r) => chunksA.find((c) => c.id === r.chunkId)?.documentId === styleDoc),
    ).toBe(true);
    // Another project of the same org: the org's documents only.
    const other = await rank(a.team.org.id, otherProject.id);
    expect((other?.ranked ?? []).map((r) => r.chunkId).sort()).toEqual(
      (orgScope?.ranked ?? []).map((r) => r.chunkId).sort(),
    );
    // Another organization (same model, same texts): only its own chunks; none of org A's.
    const fromB = await rank(b.team.org.id, b.project.id);
    const chunksB = new Set((await chunksOf(b.team.org.id)).map((c) => c.id));
    expect(fromB?.ranked.length).toBeGreaterThan(0);
    expect((fromB?.ranked ?? []).every((r) => chunksB.has(r.chunkId))).toBe(true);
    // Org B's tenant asking for org A's id sees nothing (RLS under the org filter).
    const crossed = await withTenant({ orgId: b.team.org.id }, (tx) =>
      rankByVector(tx, { orgId: a.team.org.id, projectId: a.project.id, queryText: "", limit: 50, query }),
    );
    expect(crossed).toBeNull();
  });

  it("counts only the current version of a document", async () => {
    const { team, project } = await setup();
    await withTenant({ orgId: team.org.id }, (tx) =>
      saveTextDocument(tx, {
        orgId: team.org.id,
        projectId: project.id,
        source: "upload",
        key: "test:postgres",
        title: "postgres",
        text: "# Postgres tuning\n\n## Pooling\n\nConnection pooling with pgbouncer.",
        format: "markdown",
      }),
    );
    await runEmbed(team.org.id);
    const query = await embedQuery(team.org.id, "autovacuum healthy tables");
    const ranked = await withTenant({ orgId: team.org.id }, (tx) =>
      rankByVector(tx, { orgId: team.org.id, projectId: project.id, queryText: "", limit: 50, query }),
    );
    const db = await getDb();
    const current = await rows<{ id: string; content: string }>(
      db,
      sql`select c.id, c.content from knowledge_chunks c join knowledge_documents d on d.id = c.document_id and d.current_version = c.version where c.org_id = ${team.org.id}`,
    );
    const contents = (ranked?.ranked ?? []).map((r) => current.find((c) => c.id === r.chunkId)?.content);
    expect(contents.some((c) => c?.includes("autovacuum"))).toBe(false);
    expect(contents.some((c) => c?.includes("Connection pooling with pgbouncer."))).toBe(true);
    expect(ranked?.ranked).toHaveLength(current.length);
  });
});
