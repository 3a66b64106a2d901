import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Tool, tool } from "ai";
import { z } from "zod";
import type { RepoToolName, RepoToolOptions, Workspace } from "./types";

/**
 * PLACEHOLDER for the run-branch work (h/rungit): only `read_file` and `write_file`, enough for
 * the run tests. The full tool set (h/repotools) replaces this file at merge; callers depend only
 * on the contract in ./types.
 */
function confined(ws: Workspace, p: string): string | { error: string } {
  const rel = path.posix.normalize(p.replaceAll("\\", "/"));
  if (path.posix.isAbsolute(rel) || rel === ".." || rel.startsWith("../") || rel.startsWith("-"))
    return { error: `Give a path inside the repository, not ${JSON.stringify(p)}.` };
  if (rel.split("/").includes(".git")) return { error: "The .git folder is not part of the repository." };
  return path.join(ws.dir, rel);
}

export function createRepoTools(ws: Workspace, opts: RepoToolOptions = {}): Record<RepoToolName, Tool> {
  const unavailable = (name: string) =>
    tool({
      description: `${name} (not available in this build)`,
      inputSchema: z.object({}),
      execute: async () => ({ error: `${name} is not available yet.` }),
    });
  return {
    read_file: tool({
      description: "Read a file of the repository.",
      inputSchema: z.object({ path: z.string().min(1) }),
      execute: async ({ path: p }) => {
        const abs = confined(ws, p);
        if (typeof abs !== "string") return abs;
        try {
          return { path: p, content: await readFile(abs, "utf8") };
        } catch {
          return { error: `No file ${p}.` };
        }
      },
    }),
    write_file: tool({
      description: "Create or overwrite a file of the repository with the full content.",
      inputSchema: z.object({ path: z.string().min(1), content: z.string() }),
      execute: async ({ path: p, content }) => {
        const abs = confined(ws, p);
        if (typeof abs !== "string") return abs;
        const before = await readFile(abs, "utf8").catch(() => null);
        await mkdir(path.dirname(abs), { recursive: true });
        await writeFile(abs, content);
        const lines = (s: string) => (s ? s.split("\n").length : 0);
        await opts.onChange?.({
          change: before === null ? "added" : "modified",
          path: path.posix.normalize(p),
          added: lines(content),
          removed: before === null ? 0 : lines(before),
        });
        return { path: p, written: content.length };
      },
    }),
    list_files: unavailable("list_files"),
    search_code: unavailable("search_code"),
    edit_file: unavailable("edit_file"),
    delete_file: unavailable("delete_file"),
    move_file: unavailable("move_file"),
    diff: unavailable("diff"),
  };
}
