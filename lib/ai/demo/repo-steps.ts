import { type ArtifactKind, artifactKindSpec } from "@/lib/agents/artifact-kinds";
import type { RepoToolInput } from "@/lib/repos/tools/schemas";
import { DEMO_NOTICE } from "./documents";

/**
 * The demo model's work in a repository, when it is offered the repository tools: a build agent
 * looks at the tree, reads a file, then writes its file and edits the README, one model call per
 * step, reading the tools' answers from the conversation. Documents need no file step: the run
 * writes a saved document to docs/ itself. The edits are scripted but real: they go through the
 * tools.
 */

export type ToolOutput = { toolName: string; output: unknown };

type Call = { type: "tool-call"; toolName: string; input: Record<string, unknown> };
type Text = { type: "text"; text: string };

export type RepoDeliverable = {
  kind: ArtifactKind;
  title: string;
  content: string;
  path?: string;
  summary: string;
};

const REPO_TOOLS_NEEDED = ["list_files", "read_file", "write_file"] as const;

export function offersRepoTools(toolNames: readonly string[]): boolean {
  return REPO_TOOLS_NEEDED.every((t) => toolNames.includes(t));
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};

const lastOutput = (outputs: readonly ToolOutput[], name: string) =>
  record([...outputs].reverse().find((o) => o.toolName === name)?.output);

/** Paths from a `list_files` listing ("path  size" lines; summarized folders end with "/"). */
function listedFiles(listing: unknown): string[] {
  if (typeof listing !== "string") return [];
  return listing
    .split("\n")
    .map((l) => l.split("  ")[0]?.trim() ?? "")
    .filter((p) => p && !p.endsWith("/") && !p.startsWith("("));
}

/** A unique anchor to append after: the last non-empty line that occurs once in the text. */
function appendAnchor(content: string): string | null {
  const lines = content.split("\n").filter((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    if (content.split(line).length === 2) return line;
  }
  return null;
}

function readmeEdit(outputs: readonly ToolOutput[], d: RepoDeliverable): Call | null {
  const read = lastOutput(outputs, "read_file");
  const path = typeof read.path === "string" ? read.path : "";
  const content = typeof read.content === "string" ? read.content : "";
  if (!/^readme(\.md)?$/i.test(path) || !d.path) return null;
  const heading =
    d.kind === "test_code" ? `## Tests: ${d.title.replace(/^Tests for /, "")}` : `## ${d.title}`;
  if (content.includes(heading)) return null;
  const anchor = appendAnchor(content);
  if (!anchor) return null;
  const body =
    d.kind === "test_code"
      ? `\`${d.path}\` holds the tests (run them with the project's test command). ${d.summary}`
      : `\`${d.path}\`: ${d.summary}`;
  const input: RepoToolInput<"edit_file"> = {
    path,
    oldText: anchor,
    newText: `${anchor}\n\n${heading}\n\n${body}\n\n_${DEMO_NOTICE}._`,
  };
  return { type: "tool-call", toolName: "edit_file", input };
}

/**
 * The next repository step, or null when the repository work is done (or not this agent's) and
 * the artifact can be saved.
 */
export function repoStep(
  d: RepoDeliverable,
  taskTitle: string,
  toolNames: readonly string[],
  done: readonly string[],
  outputs: readonly ToolOutput[],
): (Text | Call)[] | null {
  if (!offersRepoTools(toolNames)) return null;
  if (artifactKindSpec(d.kind).format !== "code" || !d.path) return null;
  if (done.includes("write_file")) return null;

  if (!done.includes("list_files")) {
    const input: RepoToolInput<"list_files"> = { depth: 2 };
    return [
      {
        type: "text",
        text: `Starting on "${taskTitle}" in the repository: first the tree, to follow its layout.`,
      },
      { type: "tool-call", toolName: "list_files", input },
    ];
  }
  if (!done.includes("read_file")) {
    const files = listedFiles(lastOutput(outputs, "list_files").listing);
    const pick =
      files.find((f) => /^readme(\.md)?$/i.test(f)) ??
      files.find((f) => /\.(ts|tsx|js|py)$/.test(f)) ??
      files[0];
    if (pick) {
      const input: RepoToolInput<"read_file"> = { path: pick };
      return [
        { type: "text", text: `Reading ${pick} before changing anything.` },
        { type: "tool-call", toolName: "read_file", input },
      ];
    }
  }
  const write: RepoToolInput<"write_file"> = { path: d.path as string, content: d.content };
  const edit = toolNames.includes("edit_file") ? readmeEdit(outputs, d) : null;
  return [
    {
      type: "text",
      text: `Writing ${write.path}${edit ? " and adding a section about it to the README" : ""}.`,
    },
    { type: "tool-call", toolName: "write_file", input: write },
    ...(edit ? [edit] : []),
  ];
}

/** Paths the repository tools changed in this turn, from their answers. */
export function changedPaths(outputs: readonly ToolOutput[]): string[] {
  const paths = outputs
    .filter((o) => ["write_file", "edit_file", "delete_file", "move_file"].includes(o.toolName))
    .map((o) => record(o.output))
    .filter((o) => typeof o.path === "string" && !("error" in o))
    .map((o) => o.path as string);
  return [...new Set(paths)];
}
