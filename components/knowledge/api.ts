import type {
  KnowledgeDocumentView,
  KnowledgeInsightView,
  KnowledgeSearchResult,
} from "@/lib/knowledge/types";

/**
 * The Knowledge page's calls to the knowledge API. `project` is a project slug; null reads and
 * writes the organization's own knowledge.
 */
export type KnowledgeTarget = { org: string; project: string | null };

export const knowledgeKeys = {
  all: (org: string) => ["knowledge", org] as const,
  documents: (t: KnowledgeTarget) => ["knowledge", t.org, t.project, "documents"] as const,
  search: (t: KnowledgeTarget, q: string) => ["knowledge", t.org, t.project, "search", q] as const,
  insights: (t: KnowledgeTarget) => ["knowledge", t.org, t.project, "insights"] as const,
};

/** The API's error, with its field messages when it refused the input. */
export class KnowledgeApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

const base = (org: string) => `/api/orgs/${encodeURIComponent(org)}/knowledge`;

function withProject(t: KnowledgeTarget, params: Record<string, string> = {}) {
  const search = new URLSearchParams(params);
  if (t.project) search.set("project", t.project);
  const s = search.toString();
  return s ? `?${s}` : "";
}

function errorFrom(status: number, body: unknown, fallback: string): KnowledgeApiError {
  const error = (body as { error?: { message?: string; fieldErrors?: Record<string, string[]> } } | null)
    ?.error;
  return new KnowledgeApiError(error?.message ?? fallback, status, error?.fieldErrors ?? {});
}

async function call<T>(url: string, init: RequestInit, fallback: string): Promise<T> {
  const res = await fetch(url, init);
  if (res.status === 204) return undefined as T;
  const body = await res.json().catch(() => null);
  if (!res.ok) throw errorFrom(res.status, body, fallback);
  return body as T;
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export async function fetchDocuments(t: KnowledgeTarget, signal?: AbortSignal) {
  const body = await call<{ documents: KnowledgeDocumentView[] }>(
    `${base(t.org)}/documents${withProject(t)}`,
    { signal },
    "Could not load the documents.",
  );
  return body.documents;
}

// A project's document is addressed with its project (`?project=`), the organization's without.

export async function updateDocument(
  t: KnowledgeTarget,
  id: string,
  patch: { title?: string; tags?: string[] },
) {
  const body = await call<{ document: KnowledgeDocumentView }>(
    `${base(t.org)}/documents/${encodeURIComponent(id)}${withProject(t)}`,
    json("PATCH", patch),
    "Could not save the document.",
  );
  return body.document;
}

export function deleteDocument(t: KnowledgeTarget, id: string) {
  return call<void>(
    `${base(t.org)}/documents/${encodeURIComponent(id)}${withProject(t)}`,
    { method: "DELETE" },
    "Could not delete the document.",
  );
}

export function searchKnowledgeApi(t: KnowledgeTarget, q: string, signal?: AbortSignal) {
  return call<KnowledgeSearchResult>(
    `${base(t.org)}/search${withProject(t, { q })}`,
    { signal },
    "Search failed.",
  );
}

export async function fetchInsights(t: KnowledgeTarget, signal?: AbortSignal) {
  const body = await call<{ insights: KnowledgeInsightView[] }>(
    `${base(t.org)}/insights${withProject(t)}`,
    { signal },
    "Could not load the insights.",
  );
  return body.insights;
}

export type InsightInput = { title: string; body: string; tags: string[] };

export async function createInsight(t: KnowledgeTarget, input: InsightInput) {
  const body = await call<{ insight: KnowledgeInsightView }>(
    `${base(t.org)}/insights`,
    json("POST", { ...input, ...(t.project ? { project: t.project } : {}) }),
    "Could not add the insight.",
  );
  return body.insight;
}

export async function updateInsight(org: string, id: string, input: InsightInput) {
  const body = await call<{ insight: KnowledgeInsightView }>(
    `${base(org)}/insights/${encodeURIComponent(id)}`,
    json("PATCH", input),
    "Could not save the insight.",
  );
  return body.insight;
}

export function deleteInsight(org: string, id: string) {
  return call<void>(
    `${base(org)}/insights/${encodeURIComponent(id)}`,
    { method: "DELETE" },
    "Could not delete the insight.",
  );
}

export type UploadInput = {
  file: File;
  title?: string;
  tags?: string[];
  /** Uploads a new version of this document instead of a new one. */
  documentId?: string;
  /** 0..1 of the bytes sent. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
};

/**
 * Uploads one file as multipart/form-data. XMLHttpRequest, because fetch reports no upload
 * progress. Resolves with the created (or re-versioned) document, still processing.
 */
export function uploadDocument(t: KnowledgeTarget, input: UploadInput): Promise<KnowledgeDocumentView> {
  const form = new FormData();
  form.set("file", input.file, input.file.name);
  if (t.project) form.set("project", t.project);
  if (input.title?.trim()) form.set("title", input.title.trim());
  if (input.tags?.length) form.set("tags", input.tags.join(","));
  if (input.documentId) form.set("documentId", input.documentId);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${base(t.org)}/documents`);
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) input.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { document?: KnowledgeDocumentView } | null;
      if (xhr.status >= 200 && xhr.status < 300 && body?.document) {
        input.onProgress?.(1);
        resolve(body.document);
      } else {
        reject(errorFrom(xhr.status, body, `The upload failed (HTTP ${xhr.status}).`));
      }
    };
    xhr.onerror = () =>
      reject(new KnowledgeApiError("Could not reach the server. Check your connection.", 0));
    xhr.onabort = () => reject(new KnowledgeApiError("The upload was cancelled.", 0));
    input.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/** "Specs, api ,specs" → ["Specs", "api"]: trimmed, no blanks or repeats (the server validates them again). */
export function parseTags(input: string): string[] {
  const tags = input
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  return [...new Set(tags)];
}
