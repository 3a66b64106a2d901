import "server-only";
import { and, eq, inArray, like } from "drizzle-orm";
import { withTenant } from "@/db";
import { knowledgeChunks, knowledgeDocuments, knowledgeDocumentVersions, projects } from "@/db/schema";
import { ensureRepository } from "@/lib/repos/ensure-repository";
import { gitBare, gitBareBuffer } from "@/lib/repos/git";
import { verifyCommit } from "@/lib/repos/read/repo";
import { saveTextDocument } from "./save-text-document";
import type { ChunkFormat } from "./types";

/** Repository files over this size are not indexed. */
export const MAX_REPO_FILE_BYTES = 512 * 1024;
/** At most this many files of a repository are indexed (the first by path). */
export const MAX_REPO_DOCUMENTS = 300;

export type RepositoryIndexResult = {
  commit: string | null;
  saved: number;
  unchanged: number;
  removed: number;
  /** Files that matched but were too large, binary, not UTF-8, or over the count cap. */
  skipped: number;
};

/** The key of a repository file's document: the project and the path. */
export const repoDocumentKey = (projectId: string, path: string) => `repo:${projectId}:${path}`;

const README = /^readme(\.(md|markdown|txt))?$/i;
const DOC = /\.(md|markdown|txt)$/i;

/** Which paths are indexed: `docs/**` Markdown and text, and READMEs anywhere. */
export function isKnowledgePath(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return README.test(base) || (path.startsWith("docs/") && DOC.test(base));
}

/** A path from git still checked: relative, no `..`, no control characters, bounded. */
function safePath(path: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (!path || path.length > 500 || /[\u0000-\u001f\u007f]/.test(path)) return false;
  return !path.startsWith("/") && !path.split("/").some((s) => s === "" || s === "." || s === "..");
}

const formatOf = (path: string): ChunkFormat =>
  /\.(md|markdown)$/i.test(path) || /^readme$/i.test(path.split("/").pop() ?? "") ? "markdown" : "text";

/**
 * Indexes the project's `docs/` and READMEs on the head of its default branch as `repository`
 * documents: a new or changed file is saved (a new version), an unchanged one is left alone, and
 * the documents of files no longer on the branch are removed. Safe to run twice.
 */
export async function indexRepository(scope: {
  orgId: string;
  projectId: string;
}): Promise<RepositoryIndexResult> {
  const { orgId, projectId } = scope;
  const opened = await withTenant({ orgId }, async (tx) => {
    const [project] = await tx
      .select({ id: projects.id, name: projects.name, brief: projects.brief })
      .from(projects)
      .where(and(eq(projects.orgId, orgId), eq(projects.id, projectId)));
    if (!project) return null;
    const { repo, origin } = await ensureRepository(tx, orgId, project);
    return { origin, defaultBranch: repo.defaultBranch };
  });
  const result: RepositoryIndexResult = { commit: null, saved: 0, unchanged: 0, removed: 0, skipped: 0 };
  if (!opened) return result;
  const commit = await verifyCommit(opened.origin, `refs/heads/${opened.defaultBranch}`);
  result.commit = commit;

  const files: { path: string; text: string }[] = [];
  if (commit) {
    const { stdout } = await gitBare(opened.origin, ["ls-tree", "-r", "-l", "-z", "--full-tree", commit]);
    const candidates: { path: string; oid: string; size: number }[] = [];
    for (const line of stdout.split("\0")) {
      const tab = line.indexOf("\t");
      if (tab < 0) continue;
      const [mode, type, oid = "", size = "0"] = line.slice(0, tab).split(/ +/);
      const path = line.slice(tab + 1);
      if (type !== "blob" || (mode !== "100644" && mode !== "100755")) continue;
      if (!safePath(path) || !isKnowledgePath(path) || !/^[0-9a-f]{40,64}$/.test(oid)) continue;
      if (Number(size) > MAX_REPO_FILE_BYTES) {
        result.skipped++;
        continue;
      }
      candidates.push({ path, oid, size: Number(size) });
    }
    candidates.sort((a, b) => (a.path < b.path ? -1 : 1));
    result.skipped += Math.max(0, candidates.length - MAX_REPO_DOCUMENTS);
    for (const c of candidates.slice(0, MAX_REPO_DOCUMENTS)) {
      const { stdout: bytes } = await gitBareBuffer(opened.origin, ["cat-file", "blob", c.oid]);
      const text = decode(bytes);
      if (text === null || !text.trim()) {
        result.skipped++;
        continue;
      }
      files.push({ path: c.path, text });
    }
  }

  await withTenant({ orgId }, async (tx) => {
    for (const file of files) {
      const saved = await saveTextDocument(tx, {
        orgId,
        projectId,
        source: "repository",
        key: repoDocumentKey(projectId, file.path),
        title: file.path,
        text: file.text,
        format: formatOf(file.path),
        fileName: file.path,
        mimeType: formatOf(file.path) === "markdown" ? "text/markdown" : "text/plain",
      });
      if (saved.changed) result.saved++;
      else result.unchanged++;
    }
    const keep = new Set(files.map((f) => repoDocumentKey(projectId, f.path)));
    const existing = await tx
      .select({ id: knowledgeDocuments.id, key: knowledgeDocuments.key })
      .from(knowledgeDocuments)
      .where(
        and(
          eq(knowledgeDocuments.orgId, orgId),
          eq(knowledgeDocuments.projectId, projectId),
          eq(knowledgeDocuments.source, "repository"),
          like(knowledgeDocuments.key, `repo:${projectId}:%`),
        ),
      );
    const gone = existing.filter((d) => !d.key || !keep.has(d.key)).map((d) => d.id);
    if (gone.length) {
      await tx
        .delete(knowledgeChunks)
        .where(and(eq(knowledgeChunks.orgId, orgId), inArray(knowledgeChunks.documentId, gone)));
      await tx
        .delete(knowledgeDocumentVersions)
        .where(
          and(
            eq(knowledgeDocumentVersions.orgId, orgId),
            inArray(knowledgeDocumentVersions.documentId, gone),
          ),
        );
      await tx
        .delete(knowledgeDocuments)
        .where(and(eq(knowledgeDocuments.orgId, orgId), inArray(knowledgeDocuments.id, gone)));
    }
    result.removed = gone.length;
  });
  return result;
}

/** UTF-8 text, or null for binary content (a NUL byte) or invalid UTF-8. */
function decode(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
