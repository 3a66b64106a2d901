import type { KnowledgeSource } from "@/db/schema";

/**
 * Where knowledge is read or written: the organization's own (`projectId: null`) or one project's.
 * A project sees its own documents and the organization's; never another project's.
 */
export type KnowledgeScope = { orgId: string; projectId: string | null; userId?: string | null };

/** A passage of a document as the chunker cuts it, with its position for citation. */
export type Chunk = {
  /** The headings above the passage, outermost first, joined with " › ". */
  heading: string;
  content: string;
  /** Character offsets into the document's text (end exclusive). */
  startOffset: number;
  endOffset: number;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** For PDFs: the 1-based page the passage starts on. */
  page?: number;
};

/** How a text is cut: Markdown by its structure, code by blank-line blocks, plain text by paragraphs. */
export type ChunkFormat = "markdown" | "code" | "text";

/** One cited search result. */
export type KnowledgeHit = {
  chunkId: string;
  documentId: string;
  title: string;
  source: KnowledgeSource;
  /** Null: the organization's; else the project it belongs to. */
  projectId: string | null;
  version: number;
  ordinal: number;
  heading: string;
  content: string;
  /** The passage with the query's terms wrapped in «» (safe to render as text, then highlight). */
  snippet: string;
  startLine: number;
  endLine: number;
  page: number | null;
  /** Reciprocal-rank-fusion score (higher is better). */
  score: number;
  /** 1-based rank in each list that found it. */
  ranks: { text?: number; trigram?: number; vector?: number };
  /** e.g. `Deployment guide › Rollback, lines 12–30 (v2)`: how agents and the UI cite it. */
  citation: string;
  /** For insights and run outcomes. */
  runId: string | null;
  agentSlug: string | null;
};

export type KnowledgeSearchMode = "hybrid" | "text";

export type KnowledgeSearchResult = {
  hits: KnowledgeHit[];
  /** `hybrid` when vectors took part; `text` when the organization has no embedding model (yet). */
  mode: KnowledgeSearchMode;
  /** Why vectors did not take part, for the UI ("No embedding model is configured"). */
  note?: string;
};

/** A document as the API and the Knowledge page show it (never its bytes). */
export type KnowledgeDocumentView = {
  id: string;
  projectId: string | null;
  source: KnowledgeSource;
  title: string;
  tags: string[];
  status: "processing" | "ready" | "failed";
  /** Why processing failed, when it did. */
  error: string | null;
  currentVersion: number;
  chunkCount: number;
  fileName: string | null;
  mimeType: string | null;
  byteSize: number | null;
  runId: string | null;
  taskId: string | null;
  agentSlug: string | null;
  createdBy: { id: string; name: string | null; email: string } | null;
  createdAt: string;
  updatedAt: string;
};

/** An insight (agent-recorded or added by a member) with where it was learnt. */
export type KnowledgeInsightView = {
  id: string;
  projectId: string | null;
  title: string;
  body: string;
  tags: string[];
  runId: string | null;
  /** The run's number in its project (`#12`), for the link. */
  runNumber: number | null;
  taskKey: string | null;
  agentSlug: string | null;
  createdBy: { id: string; name: string | null; email: string } | null;
  createdAt: string;
  updatedAt: string;
};
