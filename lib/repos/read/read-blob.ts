import "server-only";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { gitBare, gitBareBuffer, gitBareStream } from "../git";
import { badRequest, parseRepoPath } from "./input";
import { languageFromPath, looksBinary } from "./language";
import { objectAt, openProjectRepo, type ProjectRepo, type ResolvedRef, resolveRef } from "./repo";

/** Files up to this size are shown (and highlighted); bigger ones are offered as a download. */
export const MAX_BLOB_VIEW_BYTES = 1024 * 1024;

export type BlobView = {
  ref: ResolvedRef;
  path: string;
  oid: string;
  size: number;
  binary: boolean;
  /** True when the file is over MAX_BLOB_VIEW_BYTES: `content` is then null. */
  tooLarge: boolean;
  /** The text, for a text file within the cap. */
  content: string | null;
  language: string | null;
  defaultBranch: string;
};

async function locateBlob(ctx: OrgContext, projectSlug: string, input: { ref?: string; path?: string }) {
  const path = parseRepoPath(input.path);
  if (path === "") throw badRequest("Give the path of a file.");
  const repo = await openProjectRepo(ctx, projectSlug);
  const ref = await resolveRef(repo, input.ref);
  const object = await objectAt(repo.origin, ref.sha, path);
  if (!object) throw notFound(`No file "${path.slice(0, 200)}" at ${ref.ref.slice(0, 80)}.`);
  if (object.type !== "blob") throw badRequest(`"${path.slice(0, 200)}" is a folder, not a file.`);
  const { stdout } = await gitBare(repo.origin, ["cat-file", "-s", object.oid]);
  return { repo, ref, path, oid: object.oid, size: Number(stdout.trim()) };
}

/** A file at `ref`, with its text when it is a text file small enough to show. */
export async function readBlob(
  ctx: OrgContext,
  projectSlug: string,
  input: { ref?: string; path?: string },
): Promise<BlobView> {
  const { repo, ref, path, oid, size } = await locateBlob(ctx, projectSlug, input);
  const base = { ref, path, oid, size, language: languageFromPath(path), defaultBranch: repo.defaultBranch };
  if (size > MAX_BLOB_VIEW_BYTES) {
    const head = await blobHead(repo, oid);
    return { ...base, binary: looksBinary(head), tooLarge: true, content: null };
  }
  const { stdout } = await gitBareBuffer(repo.origin, ["cat-file", "blob", oid]);
  if (looksBinary(stdout)) return { ...base, binary: true, tooLarge: false, content: null };
  return { ...base, binary: false, tooLarge: false, content: stdout.toString("utf8") };
}

/** The first bytes of a blob, to tell text from binary without reading a large file whole. */
async function blobHead(repo: ProjectRepo, oid: string): Promise<Uint8Array> {
  const { stream } = gitBareStream(repo.origin, ["cat-file", "blob", oid]);
  const reader = stream.getReader();
  const { value } = await reader.read();
  await reader.cancel().catch(() => {});
  return value ?? new Uint8Array();
}

/** The file's bytes as a stream, for a raw download. */
export async function readBlobRaw(
  ctx: OrgContext,
  projectSlug: string,
  input: { ref?: string; path?: string },
): Promise<{ stream: ReadableStream<Uint8Array>; size: number; name: string; binary: boolean }> {
  const { repo, path, oid, size } = await locateBlob(ctx, projectSlug, input);
  const binary = looksBinary(await blobHead(repo, oid));
  const { stream } = gitBareStream(repo.origin, ["cat-file", "blob", oid]);
  return { stream, size, name: path.split("/").pop() ?? "file", binary };
}
