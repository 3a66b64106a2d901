import { GitError, git } from "@/lib/repos/git";
import { confine, isRefusal, type Refusal } from "./confine";
import { DEFAULT_SEARCH_MATCHES, MAX_SEARCH_CHARS, MAX_SEARCH_LINE_CHARS } from "./limits";
import type { RepoToolInput } from "./schemas";
import type { Workspace } from "./types";

export type SearchCodeResult = {
  matches: number;
  files: number;
  /** Per file: its path, then `line: text` for matches and `line- text` for context. */
  results: string;
  note?: string;
};

const cut = (line: string) =>
  line.length > MAX_SEARCH_LINE_CHARS ? `${line.slice(0, MAX_SEARCH_LINE_CHARS)}…` : line;

export async function searchCode(
  ws: Workspace,
  input: RepoToolInput<"search_code">,
): Promise<SearchCodeResult | Refusal> {
  const target = await confine(ws.dir, input.path ?? "", "read", { allowRoot: true });
  if (isRefusal(target)) return target;
  const maxMatches = input.maxMatches ?? DEFAULT_SEARCH_MATCHES;
  const args = [
    "grep",
    "-n",
    "-I",
    "--untracked",
    "--no-color",
    "--heading",
    "--break",
    `-C${input.context ?? 2}`,
    input.regex ? "-E" : "-F",
    ...(input.ignoreCase ? ["-i"] : []),
    "-e",
    input.pattern,
    "--",
    target.rel || ".",
  ];
  let stdout: string;
  try {
    ({ stdout } = await git(args, { cwd: target.root, okCodes: [1], timeoutMs: 20_000 }));
  } catch (error) {
    if (error instanceof GitError && error.code === 128) {
      const why = error.stderr.split("\n").find((l) => l.startsWith("fatal:")) ?? error.stderr.trim();
      return {
        error: `The search failed: ${why.replace(/^fatal:\s*/, "")}. Check the pattern (regex: ${!!input.regex}).`,
      };
    }
    throw error;
  }
  const out: string[] = [];
  let matches = 0;
  let files = 0;
  let size = 0;
  let truncated = false;
  let expectName = true;
  for (const line of stdout.split("\n")) {
    if (line === "") {
      expectName = true;
      continue;
    }
    if (expectName) {
      expectName = false;
      if (matches >= maxMatches || size > MAX_SEARCH_CHARS) {
        truncated = true;
        break;
      }
      files += 1;
      out.push(files > 1 ? `\n${line}` : line);
      continue;
    }
    if (line === "--") {
      out.push("  …");
      continue;
    }
    const m = /^(\d+)([:-])(.*)$/.exec(line);
    if (!m) continue;
    if (m[2] === ":") {
      if (matches >= maxMatches) {
        truncated = true;
        break;
      }
      matches += 1;
    }
    const text = `  ${m[1]}${m[2]} ${cut(m[3] ?? "")}`;
    size += text.length;
    out.push(text);
  }
  if (matches === 0) {
    return {
      matches: 0,
      files: 0,
      results: "",
      note: `No match for "${input.pattern}"${target.rel ? ` under ${target.rel}` : ""}.`,
    };
  }
  return {
    matches,
    files,
    results: out.join("\n"),
    ...(truncated
      ? { note: `Stopped at ${matches} matches; narrow the pattern or the path to see the rest.` }
      : {}),
  };
}
