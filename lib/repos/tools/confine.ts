import { lstat, realpath } from "node:fs/promises";
import path from "node:path";

/**
 * Path confinement for the repository tools: every path a model gives is checked here before any
 * file system or git call. A refusal is an answer the model can act on, never an exception.
 */

export const MAX_PATH_LENGTH = 1024;
const MAX_SEGMENT_LENGTH = 255;

export type Confined = {
  /** Repository-relative POSIX path ("" for the root). */
  rel: string;
  /** Absolute path under the real root. */
  abs: string;
  /** The real (symlink-free) root of the working tree. */
  root: string;
};

export type Refusal = { error: string };

export const isRefusal = (value: unknown): value is Refusal =>
  typeof value === "object" && value !== null && "error" in value;

/** `.git` in any case, also as Windows would read it (trailing dots/spaces, the 8.3 short name). */
const isGitSegment = (segment: string) => {
  const s = segment.toLowerCase().replace(/[. ]+$/, "");
  return s === ".git" || s === "git~1";
};

const inside = (root: string, target: string) => target === root || target.startsWith(root + path.sep);

const relOf = (root: string, target: string) => path.relative(root, target).split(path.sep).join("/");

/** Checks the text of a path, without touching the disk. Returns the normalized relative path. */
export function checkPathText(input: string, opts: { allowRoot?: boolean } = {}): string | Refusal {
  if (typeof input !== "string") return { error: "The path must be a string." };
  if (input.includes("\0")) return { error: "The path contains a NUL byte; give a plain relative path." };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (/[\x01-\x1f\x7f]/.test(input)) {
    return { error: "The path contains a control character (a newline or tab); give a plain relative path." };
  }
  if (input.length > MAX_PATH_LENGTH) {
    return { error: `The path is longer than ${MAX_PATH_LENGTH} characters; give a shorter path.` };
  }
  const raw = input.trim();
  if (raw.includes("\\")) {
    return {
      error: `"${raw}" contains a backslash; use forward slashes and a path relative to the repository root.`,
    };
  }
  if (raw.startsWith("/") || raw.startsWith("~") || /^[a-zA-Z]:/.test(raw)) {
    return {
      error: `"${raw}" is an absolute path; give a path relative to the repository root, e.g. "src/index.ts".`,
    };
  }
  const segments = raw.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.some(isGitSegment)) {
    return { error: `"${raw}" is inside .git; the repository's internals are not accessible to tools.` };
  }
  if (segments.some((s) => s.length > MAX_SEGMENT_LENGTH)) {
    return { error: `A name in "${raw}" is longer than ${MAX_SEGMENT_LENGTH} characters.` };
  }
  const normalized = path.posix.normalize(segments.join("/") || ".");
  if (normalized === ".." || normalized.startsWith("../")) {
    return { error: `"${raw}" points outside the repository; paths must stay inside the working tree.` };
  }
  if (segments.includes("..")) {
    return { error: `"${raw}" contains ".."; give the path from the repository root without "..".` };
  }
  const rel = normalized === "." ? "" : normalized;
  if (!rel && !opts.allowRoot) return { error: "Give a file path relative to the repository root." };
  if (rel.startsWith("-")) {
    return { error: `"${rel}" starts with "-"; file names starting with a dash are not supported here.` };
  }
  return rel;
}

async function lstatOrNull(p: string) {
  try {
    return await lstat(p);
  } catch {
    return null;
  }
}

/** Refuses a real location outside the root or inside its .git. */
function checkReal(root: string, real: string, shown: string): Refusal | null {
  if (!inside(root, real)) {
    return {
      error: `"${shown}" resolves (through a symbolic link) outside the repository; it is not accessible.`,
    };
  }
  if (relOf(root, real).split("/").some(isGitSegment)) {
    return { error: `"${shown}" resolves (through a symbolic link) into .git; it is not accessible.` };
  }
  return null;
}

export type ConfineMode =
  /** Read the target: a symlink is followed, and its target must be inside. */
  | "read"
  /** Create or overwrite the target: no symlink on the way, and the target itself must not be one. */
  | "write"
  /** Remove or rename the entry itself: its parents are checked, the entry may be a link. */
  | "entry";

/**
 * Resolves a model-given path inside the working tree `dir`: the text is checked, then every
 * existing ancestor is resolved with realpath so a symlinked directory cannot lead outside.
 */
export async function confine(
  dir: string,
  input: string,
  mode: ConfineMode,
  opts: { allowRoot?: boolean } = {},
): Promise<Confined | Refusal> {
  const rel = checkPathText(input, opts);
  if (typeof rel !== "string") return rel;
  const root = await realpath(dir);
  const abs = rel ? path.join(root, ...rel.split("/")) : root;
  if (!rel) return { rel, abs, root };

  // The deepest existing ancestor must resolve inside the root, not into .git.
  let ancestor = path.dirname(abs);
  while (inside(root, ancestor) && ancestor !== root && !(await lstatOrNull(ancestor))) {
    ancestor = path.dirname(ancestor);
  }
  const realAncestor = await realpath(ancestor).catch(() => null);
  if (!realAncestor) return { error: `"${rel}" cannot be resolved.` };
  const ancestorRefusal = checkReal(root, realAncestor, rel);
  if (ancestorRefusal) return ancestorRefusal;
  if (realAncestor !== ancestor && mode === "write") {
    return { error: `"${rel}" goes through a symbolic link to a directory; write to the real path instead.` };
  }

  const stat = await lstatOrNull(abs);
  if (stat?.isSymbolicLink()) {
    if (mode === "write") {
      return { error: `"${rel}" is a symbolic link; write to the file it points to instead.` };
    }
    if (mode === "read") {
      const real = await realpath(abs).catch(() => null);
      if (!real) return { error: `"${rel}" is a broken symbolic link.` };
      const refusal = checkReal(root, real, rel);
      if (refusal) return refusal;
    }
  }
  return { rel, abs, root };
}
