import { constants } from "node:fs";
import { lstat, readFile } from "node:fs/promises";
import path from "node:path";
import { type DetectedCommands, detectCommands } from "./detect-commands";
import { statFiles, workingTreeFiles } from "./tools/list-files";
import { formatBytes, looksBinary } from "./tools/text";

/**
 * A repository map: what an agent needs to find its way in a repository (the tree by folder,
 * the key files' first lines, the languages, the commands), bounded whatever the repository's
 * size. Agents get it by reference in their prompt and read details with the repository tools.
 */
export type RepoMap = {
  totalFiles: number;
  totalBytes: number;
  /** Top-level folders (with their largest sub-folders) and top-level files, largest first. */
  tree: {
    path: string;
    files: number;
    bytes: number;
    children?: { path: string; files: number; bytes: number }[];
  }[];
  /** Top-level files that are not folders. */
  rootFiles: { path: string; bytes: number }[];
  keyFiles: { path: string; excerpt: string; lines: number }[];
  languages: { language: string; files: number }[];
  commands: DetectedCommands;
  /** Folders or files left out of `tree` / `rootFiles`. */
  omitted: number;
};

/** Files that tell an agent what a project is and how it is built, in the order shown. */
const KEY_FILES = [
  /^readme(\.[a-z]+)?$/i,
  /^agents\.md$/i,
  /^contributing(\.[a-z]+)?$/i,
  /^package\.json$/,
  /^pyproject\.toml$/,
  /^requirements\.txt$/,
  /^cargo\.toml$/i,
  /^go\.mod$/,
  /^makefile$/i,
  /^tsconfig\.json$/,
  /^dockerfile$/i,
  /^(docker-)?compose\.ya?ml$/,
  /^\.env\.example$/,
];

const LANGUAGES: Record<string, string> = {
  ts: "TypeScript",
  tsx: "TypeScript (TSX)",
  mts: "TypeScript",
  cts: "TypeScript",
  js: "JavaScript",
  jsx: "JavaScript (JSX)",
  mjs: "JavaScript",
  cjs: "JavaScript",
  py: "Python",
  rb: "Ruby",
  go: "Go",
  rs: "Rust",
  java: "Java",
  kt: "Kotlin",
  kts: "Kotlin",
  swift: "Swift",
  c: "C",
  h: "C/C++ header",
  cc: "C++",
  cpp: "C++",
  hpp: "C++",
  cs: "C#",
  php: "PHP",
  scala: "Scala",
  ex: "Elixir",
  exs: "Elixir",
  erl: "Erlang",
  hs: "Haskell",
  clj: "Clojure",
  dart: "Dart",
  lua: "Lua",
  r: "R",
  jl: "Julia",
  sh: "Shell",
  bash: "Shell",
  zsh: "Shell",
  ps1: "PowerShell",
  sql: "SQL",
  html: "HTML",
  css: "CSS",
  scss: "SCSS",
  sass: "Sass",
  less: "Less",
  vue: "Vue",
  svelte: "Svelte",
  md: "Markdown",
  mdx: "MDX",
  json: "JSON",
  yml: "YAML",
  yaml: "YAML",
  toml: "TOML",
  xml: "XML",
  proto: "Protocol Buffers",
  graphql: "GraphQL",
  gql: "GraphQL",
  tf: "Terraform",
  dockerfile: "Dockerfile",
};

export function languageOf(file: string): string | null {
  const base = path.posix.basename(file).toLowerCase();
  if (base === "dockerfile") return "Dockerfile";
  if (base === "makefile") return "Makefile";
  const ext = base.includes(".") ? base.slice(base.lastIndexOf(".") + 1) : "";
  return LANGUAGES[ext] ?? null;
}

const EXCERPT_LINES = 15;
const EXCERPT_CHARS = 1200;

async function excerptOf(dir: string, file: string): Promise<{ excerpt: string; lines: number } | null> {
  // Only regular files: a key file that is a symlink (an imported repository may point one at any
  // file of the server) never reaches a prompt. O_NOFOLLOW closes the race with a swapped link.
  const abs = path.join(dir, file);
  const info = await lstat(abs).catch(() => null);
  if (!info?.isFile() || info.size > 4 * 1024 * 1024) return null;
  const buf = await readFile(abs, { flag: constants.O_RDONLY | constants.O_NOFOLLOW }).catch(() => null);
  if (!buf || looksBinary(buf)) return null;
  const text = buf.subarray(0, 256 * 1024).toString("utf8");
  const lines = text.split("\n");
  const excerpt = lines.slice(0, EXCERPT_LINES).join("\n").slice(0, EXCERPT_CHARS).trimEnd();
  return { excerpt, lines: lines.length - (text.endsWith("\n") ? 1 : 0) };
}

type Folder = { path: string; files: number; bytes: number; children: Map<string, Folder> };

/** Builds the map of the working tree at `dir` (what git sees: ignored files are left out). */
export async function buildRepoMap(dir: string, opts: { maxEntries?: number } = {}): Promise<RepoMap> {
  const maxEntries = opts.maxEntries ?? 40;
  const sizes = await statFiles(dir, await workingTreeFiles(dir));
  const top = new Map<string, Folder>();
  const rootFiles: { path: string; bytes: number }[] = [];
  const languageCounts = new Map<string, number>();
  let totalBytes = 0;
  for (const [file, bytes] of sizes) {
    totalBytes += bytes;
    const language = languageOf(file);
    if (language) languageCounts.set(language, (languageCounts.get(language) ?? 0) + 1);
    const parts = file.split("/");
    if (parts.length === 1) {
      rootFiles.push({ path: file, bytes });
      continue;
    }
    const name = parts[0] as string;
    const folder = top.get(name) ?? { path: `${name}/`, files: 0, bytes: 0, children: new Map() };
    folder.files += 1;
    folder.bytes += bytes;
    if (parts.length > 2) {
      const sub = `${name}/${parts[1]}/`;
      const child = folder.children.get(sub) ?? { path: sub, files: 0, bytes: 0, children: new Map() };
      child.files += 1;
      child.bytes += bytes;
      folder.children.set(sub, child);
    }
    top.set(name, folder);
  }
  const byFiles = <T extends { files: number; path: string }>(a: T, b: T) =>
    b.files - a.files || (a.path < b.path ? -1 : 1);
  const folders = [...top.values()].sort(byFiles);
  const tree = folders.slice(0, maxEntries).map((f) => ({
    path: f.path,
    files: f.files,
    bytes: f.bytes,
    ...(f.children.size
      ? {
          children: [...f.children.values()]
            .sort(byFiles)
            .slice(0, 6)
            .map(({ path: p, files, bytes }) => ({ path: p, files, bytes })),
        }
      : {}),
  }));
  rootFiles.sort((a, b) => (a.path < b.path ? -1 : 1));
  const keptRootFiles = rootFiles.slice(0, maxEntries);

  const keyFiles: RepoMap["keyFiles"] = [];
  for (const pattern of KEY_FILES) {
    const match = rootFiles.find((f) => pattern.test(f.path));
    if (!match) continue;
    const excerpt = await excerptOf(dir, match.path);
    if (excerpt) keyFiles.push({ path: match.path, ...excerpt });
  }

  return {
    totalFiles: sizes.size,
    totalBytes,
    tree,
    rootFiles: keptRootFiles,
    keyFiles,
    languages: [...languageCounts]
      .map(([language, files]) => ({ language, files }))
      .sort((a, b) => b.files - a.files || (a.language < b.language ? -1 : 1))
      .slice(0, 12),
    commands: await detectCommands(dir),
    omitted: folders.length - tree.length + rootFiles.length - keptRootFiles.length,
  };
}

/** About 2,000 tokens at four characters a token. */
export const REPO_MAP_MAX_CHARS = 8000;

function render(map: RepoMap, level: { excerptLines: number; entries: number; children: number }): string {
  const out: string[] = [
    `${map.totalFiles} files, ${formatBytes(map.totalBytes)} (ignored files excluded).`,
    "",
    "### Languages",
    map.languages.length
      ? map.languages.map((l) => `${l.language} ${l.files}`).join(" · ")
      : "No source files recognized.",
    "",
    "### Commands",
  ];
  const c = map.commands;
  const commandLines = (["install", "build", "test", "lint"] as const)
    .filter((k) => c[k])
    .map((k) => `- ${k}: \`${c[k]}\``);
  out.push(
    ...(commandLines.length ? commandLines : ["- none detected"]),
    ...(c.sources.length ? [`(from ${c.sources.join(", ")})`] : []),
    "",
    "### Tree (folders by number of files)",
  );
  const folders = map.tree.slice(0, level.entries);
  for (const f of folders) {
    out.push(`- ${f.path} — ${f.files} files, ${formatBytes(f.bytes)}`);
    for (const child of (f.children ?? []).slice(0, level.children)) {
      out.push(`  - ${child.path} — ${child.files} files`);
    }
  }
  const files = map.rootFiles.slice(0, level.entries);
  for (const f of files) out.push(`- ${f.path} — ${formatBytes(f.bytes)}`);
  const hidden = map.omitted + (map.tree.length - folders.length) + (map.rootFiles.length - files.length);
  if (hidden > 0) out.push(`- … ${hidden} more top-level entries (see list_files)`);
  if (level.excerptLines > 0 && map.keyFiles.length) {
    out.push("", "### Key files (first lines)");
    for (const k of map.keyFiles) {
      const excerpt = k.excerpt.split("\n").slice(0, level.excerptLines).join("\n");
      const more = k.lines > level.excerptLines ? ` (${k.lines} lines; read_file for the rest)` : "";
      out.push(`#### ${k.path}${more}`, "```", excerpt.replace(/```/g, "ˋˋˋ"), "```");
    }
  } else if (map.keyFiles.length) {
    out.push("", `### Key files\n${map.keyFiles.map((k) => k.path).join(", ")}`);
  }
  return out.join("\n");
}

/** The map as Markdown, at most `maxChars` long: excerpts shrink first, then the tree. */
export function renderRepoMap(map: RepoMap, opts: { maxChars?: number } = {}): string {
  const maxChars = opts.maxChars ?? REPO_MAP_MAX_CHARS;
  const levels = [
    { excerptLines: 15, entries: 40, children: 6 },
    { excerptLines: 8, entries: 30, children: 4 },
    { excerptLines: 4, entries: 20, children: 2 },
    { excerptLines: 0, entries: 20, children: 0 },
    { excerptLines: 0, entries: 10, children: 0 },
  ];
  let text = "";
  for (const level of levels) {
    text = render(map, level);
    if (text.length <= maxChars) return text;
  }
  const cut = text.slice(0, maxChars - 40);
  return `${cut.slice(0, cut.lastIndexOf("\n"))}\n[Map cut to fit; use list_files.]`;
}
