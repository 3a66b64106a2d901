import type { ExecToolInput, RunChecksOutput, RunCommandOutput } from "@/lib/checks/tools/schemas";
import type { RepoToolInput } from "@/lib/repos/tools/schemas";
import { type CodeWork, DEMO_TEST_COMMAND, demoPackageJson, packageJsonWithTestScript } from "./code";
import { DEMO_NOTICE } from "./documents";

/**
 * The demo model's work in a repository, when it is offered the repository tools: a build agent
 * looks at the tree, reads the README (and package.json), then writes its files, gives the
 * repository a package.json with a test script when it has none, adds a README section, and runs
 * the project's checks before saving its artifact — one model call per step, reading the tools'
 * answers from the conversation. On a rework it reproduces the failure with `run_command`, reads
 * the file, fixes it with `edit_file`, runs the checks again and only then saves. Documents need
 * no file step: the run writes a saved document to docs/ itself. The edits are scripted but real:
 * they go through the tools, and what the checks answer is reported as it is.
 */

export type ToolOutput = { toolName: string; output: unknown };

type Call = { type: "tool-call"; toolName: string; input: Record<string, unknown> };
type Text = { type: "text"; text: string };
export type Step = (Text | Call)[];

/** One code task as the script sees it. */
export type CodeTask = {
  taskTitle: string;
  /** The files as they should be at the end of this attempt (the artifact is `work.main`). */
  work: CodeWork;
  projectName: string;
  /** A rework sent back with feedback (attempt ≥ 2): reproduce, fix, check, then save. */
  rework: boolean;
  /** The scripted buggy attempt: writes its files and saves without running the checks. */
  skipChecks: boolean;
  /** The scripted bug, which a rework looks for in the file it reads and fixes with `edit_file`. */
  bug?: { path: string; oldText: string; newText: string };
};

const REPO_TOOLS_NEEDED = ["list_files", "read_file", "write_file"] as const;

export function offersRepoTools(toolNames: readonly string[]): boolean {
  return REPO_TOOLS_NEEDED.every((t) => toolNames.includes(t));
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};

const lastOutput = (outputs: readonly ToolOutput[], name: string) =>
  record([...outputs].reverse().find((o) => o.toolName === name)?.output);

/** The last `read_file` answer for a path (or matching a pattern). */
function readOf(
  outputs: readonly ToolOutput[],
  path: string | RegExp,
): { path: string; content: string } | null {
  for (const o of [...outputs].reverse()) {
    if (o.toolName !== "read_file") continue;
    const out = record(o.output);
    if (typeof out.path !== "string" || typeof out.content !== "string") continue;
    if (typeof path === "string" ? out.path === path : path.test(out.path))
      return { path: out.path, content: out.content };
  }
  return null;
}

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

const README = /^readme(\.md)?$/i;

function readmeEdit(outputs: readonly ToolOutput[], t: CodeTask): Call | null {
  const read = readOf(outputs, README);
  if (!read || !t.work.readmeSection) return null;
  const main = t.work.main;
  const testFile = main.path.startsWith("test/");
  const heading = testFile ? `## Tests: ${main.title.replace(/^Tests for /, "")}` : `## ${main.title}`;
  if (read.content.includes(heading)) return null;
  const anchor = appendAnchor(read.content);
  if (!anchor) return null;
  const others = t.work.files.filter((f) => f.path !== main.path).map((f) => `\`${f.path}\``);
  const body = testFile
    ? `\`${main.path}\` holds more tests; run them all with \`${DEMO_TEST_COMMAND}\` (Node's built-in test runner, no dependencies). ${main.summary}`
    : `\`${main.path}\`${others.length ? ` (tests: ${others.join(", ")})` : ""}: ${main.summary} Run the tests with \`${DEMO_TEST_COMMAND}\`.`;
  const input: RepoToolInput<"edit_file"> = {
    path: read.path,
    oldText: anchor,
    newText: `${anchor}\n\n${heading}\n\n${body}\n\n_${DEMO_NOTICE}: this section and the files it names are demo output, written by a script._`,
  };
  return { type: "tool-call", toolName: "edit_file", input };
}

/** The package.json to write: a new one when the tree has none, a test script added when it has none. */
function packageJsonWrite(t: CodeTask, listed: string[], outputs: readonly ToolOutput[]): Call | null {
  let content: string | null;
  if (!listed.includes("package.json")) content = demoPackageJson(t.projectName);
  else {
    const read = readOf(outputs, "package.json");
    content = read ? packageJsonWithTestScript(read.content) : null;
  }
  if (!content) return null;
  const input: RepoToolInput<"write_file"> = { path: "package.json", content };
  return { type: "tool-call", toolName: "write_file", input };
}

const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

function writeFiles(t: CodeTask, toolNames: readonly string[], outputs: readonly ToolOutput[]): Step {
  const listed = listedFiles(lastOutput(outputs, "list_files").listing);
  const pkg = packageJsonWrite(t, listed, outputs);
  const edit = toolNames.includes("edit_file") ? readmeEdit(outputs, t) : null;
  const writes: Call[] = t.work.files.map((f) => {
    const input: RepoToolInput<"write_file"> = { path: f.path, content: f.content };
    return { type: "tool-call", toolName: "write_file", input };
  });
  const pkgNote = !pkg
    ? ""
    : listed.includes("package.json")
      ? ` Adding a test script to package.json (\`${DEMO_TEST_COMMAND}\` runs Node's built-in test runner).`
      : ` The repository has no package.json: adding one whose test script runs Node's built-in test runner, so \`${DEMO_TEST_COMMAND}\` works with no install.`;
  return [
    {
      type: "text",
      text: `Writing ${list(t.work.files.map((f) => f.path))}.${pkgNote}${edit ? " Adding a section about it to the README." : ""}`,
    },
    ...(pkg ? [pkg] : []),
    ...writes,
    ...(edit ? [edit] : []),
  ];
}

const runChecksCall = (): Call => {
  const input: ExecToolInput<"run_checks"> = {};
  return { type: "tool-call", toolName: "run_checks", input };
};

/** A tool answer given as JSON text is read as the object it holds. */
function answerOf(output: unknown): Record<string, unknown> {
  if (typeof output !== "string") return record(output);
  try {
    return record(JSON.parse(output));
  } catch {
    return {};
  }
}

/** Reads a `run_checks` answer, or null when it is not one. */
export function runChecksOutputOf(output: unknown): RunChecksOutput | null {
  const o = answerOf(output);
  if (typeof o.error === "string" && !Array.isArray(o.checks))
    return { passed: false, checks: [], error: o.error };
  if (typeof o.passed !== "boolean" || !Array.isArray(o.checks)) return null;
  return o as unknown as RunChecksOutput;
}

function runCommandOutputOf(output: unknown): RunCommandOutput | null {
  const o = answerOf(output);
  if (typeof o.error === "string" && typeof o.output !== "string")
    return { exitCode: null, outcome: "error", durationMs: 0, output: "", truncated: false, error: o.error };
  if (typeof o.output !== "string") return null;
  return o as unknown as RunCommandOutput;
}

/** One line per check: `test \`npm test\`: failed — 4 passed, 1 failed`. */
export function describeChecks(out: RunChecksOutput): string {
  if (out.error && !out.checks.length) return `the checks could not run: ${out.error}`;
  if (!out.checks.length) return "the project has no checks to run (no test, build or lint command)";
  return out.checks
    .map((c) => {
      const counts = c.counts ? ` — ${c.counts.passed} passed, ${c.counts.failed} failed` : "";
      return `${c.kind} \`${c.command}\`: ${c.status}${counts}`;
    })
    .join("; ");
}

/** What the last `run_checks` of this turn said, in a sentence for the agent's reply. */
export function checksNote(toolNames: readonly string[], outputs: readonly ToolOutput[]): string | null {
  const called = [...outputs].reverse().find((o) => o.toolName === "run_checks");
  if (!called) {
    return toolNames.includes("run_checks")
      ? null
      : "I could not run the tests: I have no `run_checks` tool here (no sandbox on this host, or not granted to this agent), so they are not verified.";
  }
  const out = runChecksOutputOf(called.output);
  if (!out) return "The checks answered something I could not read, so I cannot say whether they pass.";
  if (out.error) return `The checks could not run (${out.error}), so the work is not verified.`;
  if (!out.checks.length)
    return "The project has no checks to run (no test, build or lint command), so nothing verified the work.";
  const what = describeChecks(out);
  if (out.passed) return `The checks pass: ${what}.`;
  return `The checks fail: ${what}. I am saving the work as it stands rather than claiming it is done; it needs another attempt.`;
}

/** The failing tests and the first assertion of a `node --test` (TAP) output, for the agent's note. */
export function failureExcerpt(output: string): string {
  const lines = output.split("\n");
  // Failing tests, not the suites that fail because a test in them did.
  const failing: string[] = [];
  for (const [i, line] of lines.entries()) {
    const m = /^\s*not ok \d+ - (.+)$/.exec(line);
    if (!m) continue;
    const end = lines.findIndex((l, j) => j > i && /^\s*\.\.\.\s*$/.test(l));
    const block = lines.slice(i + 1, end < 0 ? i + 12 : end).join("\n");
    if (!/failureType: '(subtestsFailed)'/.test(block)) failing.push((m[1] as string).trim());
  }
  const counts = /^# pass (\d+)\s*\n# fail (\d+)/m.exec(output.replace(/\n# (?:suites|cancelled) \d+/g, ""));
  // The first `error: |-` block of the YAML diagnostics: the lines indented deeper than its key.
  const errorAt = lines.findIndex((l) => /^\s*error: \|-?\s*$/.test(l));
  const indent = (l: string) => /^\s*/.exec(l)?.[0].length ?? 0;
  const block: string[] = [];
  if (errorAt >= 0) {
    for (const l of lines.slice(errorAt + 1, errorAt + 12)) {
      if (l.trim() && indent(l) <= indent(lines[errorAt] as string)) break;
      if (l.trim()) block.push(l.trim());
    }
  }
  const error = block.join(" ");
  const parts = [
    counts ? `${counts[1]} passed, ${counts[2]} failed` : "",
    failing.length
      ? `failing: ${failing
          .slice(0, 3)
          .map((f) => `«${f}»`)
          .join(", ")}`
      : "",
    error ? `first error: ${error.slice(0, 300)}` : "",
  ].filter(Boolean);
  return parts.join("; ");
}

function reproduceNote(outputs: readonly ToolOutput[]): string {
  const called = [...outputs].reverse().find((o) => o.toolName === "run_command");
  if (!called) return "I cannot run commands in this run, so I go by the failing output in the feedback.";
  const out = runCommandOutputOf(called.output);
  if (!out || out.error)
    return `The command did not run (${out?.error ?? "no answer"}); I go by the feedback.`;
  if (out.exitCode === 0)
    return `\`${DEMO_TEST_COMMAND}\` passes here (exit 0), so the failure is not in the working tree as I have it; checking the file anyway.`;
  const excerpt = failureExcerpt(out.output);
  const ended = out.exitCode === null ? `was stopped (${out.outcome})` : `exited ${out.exitCode}`;
  return `Reproduced: \`${DEMO_TEST_COMMAND}\` ${ended}${excerpt ? ` — ${excerpt}` : ""}.`;
}

function reworkStep(
  t: CodeTask,
  toolNames: readonly string[],
  done: readonly string[],
  outputs: readonly ToolOutput[],
): Step | null {
  const main = t.work.main;
  const target = t.bug?.path ?? main.path;
  if (toolNames.includes("run_command") && !done.includes("run_command")) {
    const input: ExecToolInput<"run_command"> = { command: DEMO_TEST_COMMAND, timeoutSeconds: 120 };
    return [
      {
        type: "text",
        text: `Reworking "${t.taskTitle}" to address the feedback. First I run \`${DEMO_TEST_COMMAND}\` to reproduce what failed.`,
      },
      { type: "tool-call", toolName: "run_command", input },
    ];
  }
  if (!done.includes("read_file")) {
    const input: RepoToolInput<"read_file"> = { path: target };
    return [
      { type: "text", text: `${reproduceNote(outputs)} Reading ${target}.` },
      { type: "tool-call", toolName: "read_file", input },
    ];
  }
  const wrote = done.includes("write_file");
  const editFailed = done.includes("edit_file") && typeof lastOutput(outputs, "edit_file").error === "string";
  if (!wrote && (!done.includes("edit_file") || editFailed)) {
    const read = readOf(outputs, target);
    const bug = t.bug;
    if (!editFailed && bug && read?.content.includes(bug.oldText) && toolNames.includes("edit_file")) {
      const input: RepoToolInput<"edit_file"> = { path: target, oldText: bug.oldText, newText: bug.newText };
      return [
        {
          type: "text",
          text: `Found it: the page loop runs while \`i <= max\`, one item past the requested page size, which is what the failing test catches. Fixing that line to \`i < max\`.`,
        },
        { type: "tool-call", toolName: "edit_file", input },
      ];
    }
    const intact = t.work.files.every((f) => f.path !== target || read?.content === f.content);
    if (!intact || editFailed) {
      const writes: Call[] = t.work.files.map((f) => {
        const input: RepoToolInput<"write_file"> = { path: f.path, content: f.content };
        return { type: "tool-call", toolName: "write_file", input };
      });
      return [
        {
          type: "text",
          text: `${target} is not as it should be${editFailed ? " (my edit did not apply)" : ""}: writing ${list(t.work.files.map((f) => f.path))} in full.`,
        },
        ...writes,
      ];
    }
  }
  if (toolNames.includes("run_checks") && !done.includes("run_checks")) {
    return [
      { type: "text", text: "Running the project's checks on the fixed working tree." },
      runChecksCall(),
    ];
  }
  return null;
}

/**
 * The next step of a code task in the repository, or null when the repository work is done (or
 * the tools are not offered) and the artifact can be saved.
 */
export function codeStep(
  t: CodeTask,
  toolNames: readonly string[],
  done: readonly string[],
  outputs: readonly ToolOutput[],
): Step | null {
  if (!offersRepoTools(toolNames)) return null;
  if (done.includes("write_artifact") || done.includes("revise_artifact")) return null;
  if (t.rework) return reworkStep(t, toolNames, done, outputs);

  if (!done.includes("write_file")) {
    if (!done.includes("list_files")) {
      const input: RepoToolInput<"list_files"> = { depth: 2 };
      return [
        {
          type: "text",
          text: `Starting on "${t.taskTitle}" in the repository: first the tree, to follow its layout.`,
        },
        { type: "tool-call", toolName: "list_files", input },
      ];
    }
    if (!done.includes("read_file")) {
      const files = listedFiles(lastOutput(outputs, "list_files").listing);
      const picks = [
        files.find((f) => README.test(f)) ?? files.find((f) => /\.(ts|tsx|js|mjs|py)$/.test(f)) ?? files[0],
        files.includes("package.json") ? "package.json" : undefined,
      ].filter((p, i, all): p is string => !!p && all.indexOf(p) === i);
      if (picks.length) {
        return [
          { type: "text", text: `Reading ${list(picks)} before changing anything.` },
          ...picks.map((path): Call => {
            const input: RepoToolInput<"read_file"> = { path };
            return { type: "tool-call", toolName: "read_file", input };
          }),
        ];
      }
    }
    return writeFiles(t, toolNames, outputs);
  }
  if (!t.skipChecks && toolNames.includes("run_checks") && !done.includes("run_checks")) {
    return [
      { type: "text", text: "Running the project's checks before I save, so the reviewer sees them pass." },
      runChecksCall(),
    ];
  }
  return null;
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
