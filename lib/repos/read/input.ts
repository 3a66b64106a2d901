import { AppError } from "@/lib/errors";

/** Longest ref or path the read routes accept (git's own limit on a ref name is about 4 KB). */
export const MAX_REF_LENGTH = 255;
export const MAX_PATH_LENGTH = 4096;

const HEX = /^[0-9a-f]{4,64}$/i;

export const badRequest = (message: string) => new AppError("bad_request", message);

/**
 * A ref from a request, checked before git sees it: a branch name or a hex commit id. Refused
 * outright: a leading `-` (it would be read as an option), NUL and control characters, reflog and
 * revision syntax (`@{`, `..`, `^`, `~`, `:`), spaces, and anything very long. Whether it names a
 * branch or a commit of this repository is decided by `resolveCommit`.
 */
export function parseRef(value: unknown): string {
  if (typeof value !== "string" || value === "") throw badRequest("Give a branch name or a commit id.");
  if (value.length > MAX_REF_LENGTH) throw badRequest(`A ref is at most ${MAX_REF_LENGTH} characters.`);
  if (value.startsWith("-")) throw badRequest("A ref cannot start with '-'.");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f\s~^:?*[\\]/.test(value) || value.includes("@{") || value.includes("..")) {
    throw badRequest("Give a branch name or a commit id; revision expressions are not accepted.");
  }
  if (value.startsWith("/") || value.endsWith("/") || value.endsWith(".lock") || value === "@") {
    throw badRequest("That is not a valid branch name or commit id.");
  }
  return value;
}

export const looksLikeSha = (ref: string) => HEX.test(ref);

/**
 * A path inside the repository from a request: relative, `/`-separated, no `.` or `..` segment,
 * no NUL or control character. `""` (or `/`) is the root. Returned without leading or trailing `/`.
 */
export function parseRepoPath(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw badRequest("The path must be a string.");
  if (value.length > MAX_PATH_LENGTH) throw badRequest(`A path is at most ${MAX_PATH_LENGTH} characters.`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(value)) throw badRequest("The path contains a control character.");
  if (value.startsWith("/") && value !== "/") throw badRequest("Paths are relative to the repository root.");
  const trimmed = value.replace(/^\/+|\/+$/g, "");
  if (trimmed === "") return "";
  const segments = trimmed.split("/");
  for (const s of segments) {
    if (s === "") throw badRequest("The path has an empty segment ('//').");
    if (s === "." || s === "..") throw badRequest("The path cannot contain '.' or '..' segments.");
  }
  if (segments[0] === ".git") throw badRequest("The path cannot point into '.git'.");
  return trimmed;
}

/** A cursor for paged history: how many commits to skip. */
export function parseCursor(value: unknown): number {
  if (value === undefined || value === null || value === "") return 0;
  if (typeof value !== "string" || !/^\d{1,7}$/.test(value)) throw badRequest("The cursor is not valid.");
  return Number(value);
}
