import { sql } from "drizzle-orm";
import {
  customType,
  index,
  integer,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { tenantColumn, tenantPolicy } from "./organizations";
import { projects } from "./projects";
import { runs, runTasks } from "./runs";

/**
 * What a team and its runs learn: documents (uploaded, or read from the project's repository),
 * insights (recorded by agents or members) and run outcomes, each split into chunks that search
 * ranks by full text, trigram similarity and, when the organization has an embedding model,
 * vectors. A document with no project is the organization's; a project's is seen only in it.
 */

/** Where a document came from. */
export const KNOWLEDGE_SOURCES = ["upload", "repository", "insight", "run_outcome"] as const;
export type KnowledgeSource = (typeof KNOWLEDGE_SOURCES)[number];

/** processing → ready | failed (with `error`); a new version goes back to processing. */
export const KNOWLEDGE_STATUSES = ["processing", "ready", "failed"] as const;
export type KnowledgeStatus = (typeof KNOWLEDGE_STATUSES)[number];

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

export const knowledgeDocuments = pgTable(
  "knowledge_documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    /** Null: the organization's own (standards, references) offered to every project. */
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "cascade" }),
    source: text("source", { enum: KNOWLEDGE_SOURCES }).notNull(),
    title: text("title").notNull(),
    /**
     * Makes a write idempotent and finds the document again: `repo:<path>` for a repository file,
     * `run:<runId>` for a run outcome, a derived id for an agent's insight; null for uploads.
     */
    key: text("key"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    status: text("status", { enum: KNOWLEDGE_STATUSES }).notNull().default("processing"),
    /** Why processing failed, in words a member can act on. */
    error: text("error"),
    /** The version whose chunks are searched (the newest ready one). */
    currentVersion: integer("current_version").notNull().default(1),
    chunkCount: integer("chunk_count").notNull().default(0),
    /** For insights and run outcomes: where they were learnt. */
    runId: uuid("run_id").references(() => runs.id, { onDelete: "set null" }),
    taskId: uuid("task_id").references(() => runTasks.id, { onDelete: "set null" }),
    agentSlug: text("agent_slug"),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    updatedById: uuid("updated_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One document per key in its scope (nulls distinct: uploads have none).
    uniqueIndex("knowledge_documents_key_idx").on(t.orgId, t.key).where(sql`${t.key} is not null`),
    index("knowledge_documents_scope_idx").on(t.orgId, t.projectId, t.source, t.updatedAt),
    index("knowledge_documents_run_idx").on(t.runId),
    tenantPolicy("knowledge_documents"),
  ],
).enableRLS();

/** Each upload or re-index of a document: what was read, kept so a version can be re-processed. */
export const knowledgeDocumentVersions = pgTable(
  "knowledge_document_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => knowledgeDocuments.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** The file's name as uploaded, or its path in the repository. */
    fileName: text("file_name"),
    mimeType: text("mime_type").notNull(),
    byteSize: integer("byte_size").notNull(),
    /** SHA-256 of the bytes: an unchanged re-upload or re-index makes no new version. */
    contentHash: text("content_hash").notNull(),
    /** The bytes as received (size-capped), until their text is extracted. */
    raw: bytea("raw"),
    /** The extracted text (Markdown where the format has structure). */
    text: text("text"),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("knowledge_document_versions_doc_version_idx").on(t.documentId, t.version),
    index("knowledge_document_versions_org_idx").on(t.orgId),
    tenantPolicy("knowledge_document_versions"),
  ],
).enableRLS();

/**
 * A passage of a document's current version, with its position for citation. `tsv` is kept by
 * Postgres; `embedding` is a plain `real[]` so it works without pgvector. Where the extension
 * exists, search casts it to `vector(n)` and an HNSW index per dimension serves that cast.
 */
export const knowledgeChunks = pgTable(
  "knowledge_chunks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    /** Copied from the document so search filters on one table. */
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "cascade" }),
    documentId: uuid("document_id")
      .notNull()
      .references(() => knowledgeDocuments.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** 0-based order in the document. */
    ordinal: integer("ordinal").notNull(),
    /** The headings above the passage, e.g. `Setup › Database`. */
    heading: text("heading").notNull().default(""),
    content: text("content").notNull(),
    /** Character offsets into the version's text, and 1-based lines; `page` for PDFs. */
    startOffset: integer("start_offset").notNull(),
    endOffset: integer("end_offset").notNull(),
    startLine: integer("start_line").notNull(),
    endLine: integer("end_line").notNull(),
    page: integer("page"),
    tsv: tsvector("tsv")
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('english', coalesce("heading", '')), 'A') || setweight(to_tsvector('english', "content"), 'B')`,
      ),
    embedding: real("embedding").array(),
    /** `<provider kind>:<model id>` the embedding came from; a change of model re-computes it. */
    embeddingModel: text("embedding_model"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("knowledge_chunks_doc_version_ordinal_idx").on(t.documentId, t.version, t.ordinal),
    index("knowledge_chunks_scope_idx").on(t.orgId, t.projectId),
    index("knowledge_chunks_tsv_idx").using("gin", t.tsv),
    index("knowledge_chunks_trgm_idx").using("gin", sql`${t.content} gin_trgm_ops`),
    index("knowledge_chunks_unembedded_idx").on(t.orgId, t.embeddingModel).where(sql`${t.embedding} is null`),
    tenantPolicy("knowledge_chunks"),
  ],
).enableRLS();

export type KnowledgeDocumentRow = typeof knowledgeDocuments.$inferSelect;
export type KnowledgeChunkRow = typeof knowledgeChunks.$inferSelect;
