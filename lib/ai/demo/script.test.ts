import { describe, expect, it } from "vitest";
import { getBuiltinAgent } from "@/lib/agents/catalog";
import { AGENT_TOOL_NAMES } from "@/lib/agents/tools";
import type { RunChecksOutput, RunCommandOutput } from "@/lib/checks/tools/schemas";
import { assembleContext } from "@/lib/runs/context";
import { codeWork, SCRIPTED_FAILURE_TASKS, scriptedBug } from "./code";
import { failureExcerpt, type ToolOutput } from "./repo-steps";
import { carriesScriptedFailure, type ScriptPart, scriptFor } from "./script";

/**
 * The demo script's tool calls for code tasks, driven call by call with fake tool answers: what
 * it calls next depends only on the assignment and the answers so far.
 */

const GOAL = "Add a CSV export of the orders for the accountant.";
const SUBJECT = "a CSV export of the orders for the accountant";
const MODULE = "src/csv-export-orders.js";
const ALL_TOOLS = [...AGENT_TOOL_NAMES];
const WITHOUT_EXEC = ALL_TOOLS.filter((t) => t !== "run_command" && t !== "run_checks");

function prompt(opts: {
  template?: string;
  key?: string;
  agent?: string;
  attempt?: number;
  feedback?: string[];
  previous?: boolean;
  /** Inputs the task depends on (a first attempt reads them first). */
  inputs?: boolean;
}) {
  const slug = opts.agent ?? "coder";
  const agent = getBuiltinAgent(slug);
  if (!agent) throw new Error(slug);
  const ctx = assembleContext({
    purpose: "task",
    agent,
    project: { name: "Shop", brief: "A small shop." },
    run: { goal: GOAL, template: { slug: opts.template ?? "feature-build", name: "Feature build" } },
    task: {
      key: opts.key ?? "implementation",
      title: "Implement the change",
      description: "Implement it.",
      acceptanceCriteria: ["Validates all new inputs"],
      priority: "critical",
      assignee: slug,
      expectedArtifactKind: agent.artifactKinds[0],
      attempt: opts.attempt ?? 1,
      reviewFeedback: opts.feedback,
      previousArtifact: opts.previous
        ? { id: "art_impl", title: "Store", kind: "code", version: 1, summary: "The store." }
        : undefined,
    },
    artifacts: opts.inputs
      ? [{ id: "art_spec", title: "Change spec", kind: "technical_spec", version: 1, summary: "The spec." }]
      : undefined,
  });
  return String(ctx.messages[0]?.content);
}

type Call = Extract<ScriptPart, { type: "tool-call" }>;

/** Runs the script call by call, answering each tool call with `answer`, until it stops calling tools. */
function drive(userText: string, toolNames: readonly string[], answer: (call: Call) => unknown) {
  const outputs: ToolOutput[] = [];
  const steps: { text: string; calls: Call[] }[] = [];
  for (let i = 0; i < 12; i++) {
    const parts = scriptFor(
      { userText, toolNames, toolResults: outputs.map((o) => o.toolName), toolOutputs: outputs, json: false },
      { seed: 1, reviewFailureRate: 0 },
    );
    const calls = parts.filter((p): p is Call => p.type === "tool-call");
    steps.push({
      text: parts.flatMap((p) => (p.type === "text" ? [p.text] : [])).join(" "),
      calls,
    });
    if (!calls.length) return steps;
    for (const call of calls) outputs.push({ toolName: call.toolName, output: answer(call) });
  }
  throw new Error("The script did not finish.");
}

const buggy = codeWork("coder", "code", SUBJECT, { buggy: true }).main.content;
const fixed = codeWork("coder", "code", SUBJECT).main.content;

const FAILING_TAP = [
  "TAP version 13",
  "# Subtest: a CSV export of the orders for the accountant: create and list",
  "    not ok 5 - returns at most the requested number of items",
  "      ---",
  "      failureType: 'testCodeFailure'",
  "      error: |-",
  "        Expected values to be strictly deep-equal:",
  "        + actual - expected",
  "      code: 'ERR_ASSERTION'",
  "      ...",
  "not ok 1 - a CSV export of the orders for the accountant: create and list",
  "  ---",
  "  failureType: 'subtestsFailed'",
  "  ...",
  "# tests 5",
  "# suites 1",
  "# pass 4",
  "# fail 1",
  "# todo 0",
].join("\n");

const command = (output: string, exitCode: number): RunCommandOutput => ({
  exitCode,
  outcome: "exited",
  durationMs: 400,
  output,
  truncated: false,
});

const checks = (passed: boolean, counts: [number, number]): RunChecksOutput => ({
  passed,
  checks: [
    {
      kind: "test",
      command: "npm test",
      status: passed ? "passed" : "failed",
      exitCode: passed ? 0 : 1,
      durationMs: 500,
      counts: { passed: counts[0], failed: counts[1], skipped: 0, total: counts[0] + counts[1] },
      output: passed ? "# pass 5\n# fail 0" : FAILING_TAP,
    },
  ],
});

/** Fake tools: a repository holding `files`, and checks that answer `checksAnswer`. */
function fakeRepo(
  files: Record<string, string>,
  checksAnswer: RunChecksOutput,
  commandAnswer?: RunCommandOutput,
) {
  return (call: Call): unknown => {
    const input = call.input as Record<string, string>;
    switch (call.toolName) {
      case "run_command":
        return commandAnswer ?? command(FAILING_TAP, 1);
      case "read_file": {
        const path = input.path as string;
        const content = files[path];
        return content === undefined ? { error: `"${path}" does not exist.` } : { path, content };
      }
      case "edit_file": {
        const path = input.path as string;
        const content = files[path] ?? "";
        if (content.split(input.oldText as string).length !== 2) return { error: "oldText was not found." };
        files[path] = content.replace(input.oldText as string, input.newText as string);
        return { path, change: "modified" };
      }
      case "write_file":
        files[input.path as string] = input.content as string;
        return { path: input.path, change: "modified" };
      case "run_checks":
        return checksAnswer;
      case "list_files":
        return { path: ".", listing: Object.keys(files).join("\n") };
      default:
        return { id: "art_new", version: 2 };
    }
  };
}

const FEEDBACK = ["The checks failed on your commit: test `npm test`: failed — 4 passed, 1 failed."];

describe("the scripted rework of the failing attempt", () => {
  it("reproduces with run_command, fixes with edit_file copied from the file, runs the checks, then saves", () => {
    const files: Record<string, string> = { [MODULE]: buggy, "package.json": "{}" };
    const steps = drive(
      prompt({ attempt: 2, feedback: FEEDBACK, previous: true, inputs: true }),
      ALL_TOOLS,
      fakeRepo(files, checks(true, [5, 0])),
    );
    // Straight to the failure: the inputs it read on the first attempt are not read again.
    expect(steps.map((s) => s.calls.map((c) => c.toolName))).toEqual([
      ["run_command"],
      ["read_file"],
      ["edit_file"],
      ["run_checks"],
      ["revise_artifact"],
      [],
    ]);
    expect(steps[0]?.calls[0]?.input).toEqual({ command: "npm test", timeoutSeconds: 120 });
    // What the command answered is what the agent says it saw.
    expect(steps[1]?.text).toContain("Reproduced: `npm test` exited 1 — 4 passed, 1 failed");
    expect(steps[1]?.text).toContain("failing: «returns at most the requested number of items»;");
    expect(steps[1]?.calls[0]?.input).toEqual({ path: MODULE });
    const edit = steps[2]?.calls[0]?.input as { path: string; oldText: string; newText: string };
    expect(edit.path).toBe(MODULE);
    expect(buggy.split(edit.oldText)).toHaveLength(2);
    expect(files[MODULE]).toBe(fixed);
    const revise = steps[4]?.calls[0]?.input as { artifactId: string; content: string; changeNote: string };
    expect(revise.artifactId).toBe("art_impl");
    expect(revise.content).toBe(fixed);
    expect(revise.changeNote).toContain("The checks failed on your commit");
    expect(steps[4]?.text).toContain("The checks pass: test `npm test`: passed — 5 passed, 0 failed.");
    expect(steps[5]?.text).toContain("Changed in the repository: src/csv-export-orders.js.");
  });

  it("says honestly when the checks still fail after the fix", () => {
    const steps = drive(
      prompt({ attempt: 2, feedback: FEEDBACK, previous: true }),
      ALL_TOOLS,
      fakeRepo({ [MODULE]: buggy }, checks(false, [4, 1])),
    );
    const save = steps.find((s) => s.calls.some((c) => c.toolName === "revise_artifact"));
    expect(save?.text).toContain("The checks fail: test `npm test`: failed — 4 passed, 1 failed.");
    expect(save?.text).not.toContain("The checks pass");
    expect(steps.at(-1)?.text).toContain("The checks fail");
  });

  it("rewrites the file in full when it is not as written (the edit would not apply)", () => {
    const files: Record<string, string> = { [MODULE]: "// something else\n" };
    const steps = drive(
      prompt({ attempt: 2, feedback: FEEDBACK, previous: true }),
      ALL_TOOLS,
      fakeRepo(files, checks(true, [5, 0])),
    );
    expect(steps.map((s) => s.calls.map((c) => c.toolName))).toEqual([
      ["run_command"],
      ["read_file"],
      ["write_file", "write_file"],
      ["run_checks"],
      ["revise_artifact"],
      [],
    ]);
    expect(files[MODULE]).toBe(fixed);
  });

  it("skips the command and the checks when they are not offered, and says the tests were not run", () => {
    const files: Record<string, string> = { [MODULE]: buggy };
    const steps = drive(
      prompt({ attempt: 2, feedback: FEEDBACK, previous: true }),
      WITHOUT_EXEC,
      fakeRepo(files, checks(true, [5, 0])),
    );
    expect(steps.map((s) => s.calls.map((c) => c.toolName))).toEqual([
      ["read_file"],
      ["edit_file"],
      ["revise_artifact"],
      [],
    ]);
    expect(files[MODULE]).toBe(fixed);
    expect(steps[0]?.text).toContain("I cannot run commands in this run");
    expect(steps[2]?.text).toContain("I could not run the tests");
  });
});

describe("first attempts of code tasks", () => {
  const repo = () => ({ "README.md": "# Shop\n\nA small shop.\n" });

  it("writes the bug in the scripted task's first attempt and saves without running the checks", () => {
    const files: Record<string, string> = repo();
    const steps = drive(prompt({ inputs: true }), ALL_TOOLS, fakeRepo(files, checks(true, [5, 0])));
    const calls = steps.flatMap((s) => s.calls.map((c) => c.toolName));
    expect(calls).toEqual([
      "read_artifact",
      "list_files",
      "read_file",
      "write_file",
      "write_file",
      "write_file",
      "edit_file",
      "write_artifact",
    ]);
    expect(files[MODULE]).toBe(buggy);
    expect(files[MODULE]).toContain(scriptedBug(SUBJECT).oldText);
    expect(files["package.json"]).toContain('"test": "node --test"');
    expect(steps.at(-2)?.text).toMatch(/^Done: /);
  });

  it("writes the correct program and runs the checks in every other code task", () => {
    for (const [template, key, agent] of [
      ["feature-build", "tests", "test-writer"],
      ["full-delivery", "frontend", "frontend-engineer"],
      ["full-delivery", "implementation", "coder"],
      ["feature-build", "implementation-2", "coder"],
    ] as const) {
      const files: Record<string, string> = repo();
      const steps = drive(prompt({ template, key, agent }), ALL_TOOLS, fakeRepo(files, checks(true, [5, 0])));
      const calls = steps.flatMap((s) => s.calls.map((c) => c.toolName));
      expect(calls.slice(-2), key).toEqual(["run_checks", "write_artifact"]);
      if (files[MODULE]) expect(files[MODULE]).toBe(fixed);
    }
  });

  it("reads the checks' answer as it is: not run, none, unreadable, or passing as JSON text", () => {
    for (const [answer, said] of [
      [
        { error: "Code execution needs bubblewrap or Docker" },
        "The checks could not run (Code execution needs bubblewrap or Docker), so the work is not verified.",
      ],
      [{ passed: true, checks: [] }, "The project has no checks to run"],
      ["garbage", "The checks answered something I could not read"],
      [
        JSON.stringify(checks(true, [5, 0])),
        "The checks pass: test `npm test`: passed — 5 passed, 0 failed.",
      ],
    ] as const) {
      const steps = drive(
        prompt({ key: "tests", agent: "test-writer" }),
        ALL_TOOLS,
        fakeRepo(repo(), answer as unknown as RunChecksOutput),
      );
      const save = steps.find((s) => s.calls.some((c) => c.toolName === "write_artifact"));
      expect(save?.text).toContain(said);
      if (!said.startsWith("The checks pass")) expect(save?.text).not.toContain("The checks pass");
    }
  });

  it("keeps the scripted failure to its task's first attempt, with the checks offered", () => {
    const base = { purpose: "task" as const, attempt: 1 };
    expect(
      carriesScriptedFailure({ ...base, template: "feature-build", taskKey: "implementation" }, ALL_TOOLS),
    ).toBe(true);
    expect(
      carriesScriptedFailure({ ...base, template: "full-delivery", taskKey: "backend" }, ALL_TOOLS),
    ).toBe(true);
    expect(SCRIPTED_FAILURE_TASKS).toEqual({ "feature-build": "implementation", "full-delivery": "backend" });
    expect(
      carriesScriptedFailure({ ...base, template: "full-delivery", taskKey: "frontend" }, ALL_TOOLS),
    ).toBe(false);
    expect(
      carriesScriptedFailure(
        { ...base, attempt: 2, template: "feature-build", taskKey: "implementation" },
        ALL_TOOLS,
      ),
    ).toBe(false);
    expect(
      carriesScriptedFailure({ ...base, template: "feature-build", taskKey: "implementation" }, WITHOUT_EXEC),
    ).toBe(false);
    expect(
      carriesScriptedFailure(
        { ...base, template: "product-requirements", taskKey: "implementation" },
        ALL_TOOLS,
      ),
    ).toBe(false);
  });
});

describe("failure excerpts", () => {
  it("names the failing tests, not the suites that fail with them, and the first assertion", () => {
    expect(failureExcerpt(FAILING_TAP)).toBe(
      "4 passed, 1 failed; failing: «returns at most the requested number of items»; first error: Expected values to be strictly deep-equal: + actual - expected",
    );
    expect(failureExcerpt("plain text")).toBe("");
  });
});
