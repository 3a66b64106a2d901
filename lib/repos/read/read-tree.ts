import "server-only";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { gitBare } from "../git";
import { badRequest, parseRepoPath } from "./input";
import { objectAt, openProjectRepo, type ResolvedRef, resolveRef } from "./repo";

export type TreeEntry = {
  name: string;
  path: string;
  type: "tree" | "blob" | "submodule" | "symlink";
  /** Bytes, for files; null for folders and submodules. */
  size: number | null;
  mode: string;
};

export type TreeView = {
  ref: ResolvedRef;
  path: string;
  entries: TreeEntry[];
  /** The project and its default branch, for links and pickers. */
  defaultBranch: string;
};

/** `git ls-tree -l -z` lines: `<mode> <type> <oid> <size>\t<name>`. Folders first, then by name. */
export function parseLsTree(out: string, base: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const line of out.split("\0")) {
    if (!line) continue;
    const tab = line.indexOf("\t");
    const [mode = "", kind = "", , size = "-"] = line.slice(0, tab).split(/ +/);
    const name = line.slice(tab + 1);
    const type: TreeEntry["type"] =
      kind === "tree" ? "tree" : kind === "commit" ? "submodule" : mode === "120000" ? "symlink" : "blob";
    entries.push({
      name,
      path: base ? `${base}/${name}` : name,
      type,
      size: size === "-" ? null : Number(size),
      mode,
    });
  }
  return entries.sort((a, b) => {
    const fa = a.type === "tree" ? 0 : 1;
    const fb = b.type === "tree" ? 0 : 1;
    return fa - fb || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  });
}

/** The folder at `path` of `ref` (default branch when absent). */
export async function readTree(
  ctx: OrgContext,
  projectSlug: string,
  input: { ref?: string; path?: string },
): Promise<TreeView> {
  const path = parseRepoPath(input.path);
  const repo = await openProjectRepo(ctx, projectSlug);
  const ref = await resolveRef(repo, input.ref);
  const object = await objectAt(repo.origin, ref.sha, path);
  if (!object) throw notFound(`No folder "${path.slice(0, 200)}" at ${ref.ref.slice(0, 80)}.`);
  if (object.type !== "tree") throw badRequest(`"${path.slice(0, 200)}" is a file, not a folder.`);
  const { stdout } = await gitBare(repo.origin, ["ls-tree", "-l", "-z", "--full-tree", object.oid]);
  return { ref, path, entries: parseLsTree(stdout, path), defaultBranch: repo.defaultBranch };
}
