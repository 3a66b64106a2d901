import { readFile } from "node:fs/promises";
import path from "node:path";
import { generateText, isStepCount, streamText, tool } from "ai";
import { afterEach, describe, expect, it } from "vitest";
import { getBuiltinAgent } from "@/lib/agents/catalog";
import { type AgentToolInput, agentToolInputSchemas } from "@/lib/agents/tools";
import { detectCommands } from "@/lib/repos/detect-commands";
import { git } from "@/lib/repos/git";
import { createRepoTools, type RepoFileChange } from "@/lib/repos/tools";
import { assembleContext } from "@/lib/runs/context";
import { type CommandResult, execTools, tapCounts } from "@/tests/support/demo-exec";
import { createTempRepo } from "@/tests/support/temp-repo";
import { createDemoModel } from "./demo-model";

const GOAL = "Add CSV export of invoices for finance teams.";
const README = "# Invoices\n\nA small invoicing service.\n\n## Usage\n\nRun `npm start`.\n";

type Repo = Awaited<ReturnType<typeof createTempRepo>>;
let repo: Repo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

function prompt(slug: string, kind?: string) {
  const agent = getBuiltinAgent(slug);
  if (!agent) throw new Error(slug);
  return assembleContext({
    purpose: "task",
    agent,
    project: { name: "Invoices", brief: "An invoicing service." },
    run: { goal: GOAL, template: { slug: "feature-build", name: "Feature build" } },
    task: {
      key: "build-export",
      title: "Implement the CSV export",
      description: "Implement it.",
      acceptanceCriteria: ["Exports every invoice of the organization"],
      priority: "high",
      expectedArtifactKind: (kind ?? agent.artifactKinds[0]) as never,
    },
    repository: "3 files, 1 KB.",
  });
}

async function setupTools() {
  const artifacts: AgentToolInput<"write_artifact">[] = [];
  return {
    artifacts,
    write_artifact: tool({
      inputSchema: agentToolInputSchemas.write_artifact,
      execute: async (input) => {
        artifacts.push(input);
        return { id: "art_1", version: 1 };
      },
    }),
  };
}

async function setup() {
  repo = await createTempRepo({
    "README.md": README,
    "src/index.ts": "export {};\n",
    "package.json": "{}\n",
  });
  const changes: RepoFileChange[] = [];
  const artifacts: AgentToolInput<"write_artifact">[] = [];
  const tools = {
    ...createRepoTools(repo, { onChange: (c) => void changes.push(c) }),
    write_artifact: tool({
      inputSchema: agentToolInputSchemas.write_artifact,
      execute: async (input) => {
        artifacts.push(input);
        return { id: "art_1", version: 1 };
      },
    }),
  };
  return { repo, tools, changes, artifacts };
}

const callsOf = (steps: { toolCalls: { toolName: string }[] }[]) =>
  steps.map((s) => s.toolCalls.map((c) => c.toolName));

describe("the demo model in a repository", () => {
  it("lists, reads, writes a new file and edits the README through the tools, then saves the artifact", async () => {
    const { repo, tools, changes, artifacts } = await setup();
    const ctx = prompt("coder");
    const result = await generateText({
      model: createDemoModel({ chunkDelayMs: 0 }),
      instructions: ctx.instructions,
      messages: ctx.messages,
      tools,
      stopWhen: isStepCount(10),
    });
    expect(callsOf(result.steps)).toEqual([
      ["list_files"],
      ["read_file", "read_file"],
      ["write_file", "write_file", "write_file", "edit_file"],
      ["write_artifact"],
      [],
    ]);
    const reads = result.steps[1]?.toolCalls.map((c) => (c.input as { path: string }).path);
    expect(reads).toEqual(["README.md", "package.json"]);
    const written = artifacts[0];
    expect(written?.kind).toBe("code");
    const file = written?.path ?? "";
    expect(file).toBe("src/csv-export-invoices.js");
    expect(await readFile(path.join(repo.dir, file), "utf8")).toBe(written?.content);
    const readme = await readFile(path.join(repo.dir, "README.md"), "utf8");
    expect(readme.startsWith(README.trimEnd())).toBe(true);
    expect(readme).toContain(`## ${written?.title}`);
    expect(readme).toContain(
      "Demo model — scripted output, not AI: this section and the files it names are demo output",
    );
    // The existing package.json ("{}") gets a test script, nothing else.
    expect(JSON.parse(await readFile(path.join(repo.dir, "package.json"), "utf8"))).toEqual({
      scripts: { test: "node --test" },
    });
    // The writes of one step run in parallel: their reports come in either order.
    expect(changes.map((c) => [c.change, c.path]).sort()).toEqual([
      ["added", file],
      ["added", "test/csv-export-invoices.test.js"],
      ["modified", "README.md"],
      ["modified", "package.json"],
    ]);
    expect(written?.summary).toContain("Changed in the repository: package.json, ");
    // No run_checks here: it says it could not run the tests rather than claiming they pass.
    expect(result.text).toContain("I could not run the tests");
    const { stdout } = await git(["status", "--porcelain"], { cwd: repo.dir });
    expect(stdout.split("\n").filter(Boolean).sort()).toEqual([
      " M README.md",
      " M package.json",
      "?? src/csv-export-invoices.js",
      "?? test/",
    ]);
  });

  it("does the same when streamed, for the test writer, and does not add the README section twice", async () => {
    const { repo, tools, artifacts } = await setup();
    const ctx = prompt("test-writer");
    const run = async () => {
      const result = streamText({
        model: createDemoModel({ chunkDelayMs: 0 }),
        instructions: ctx.instructions,
        messages: ctx.messages,
        tools,
        stopWhen: isStepCount(10),
      });
      return callsOf(await result.steps);
    };
    expect(await run()).toEqual([
      ["list_files"],
      ["read_file", "read_file"],
      ["write_file", "write_file", "edit_file"],
      ["write_artifact"],
      [],
    ]);
    expect(artifacts[0]?.path).toBe("test/csv-export-invoices.more.test.js");
    const once = await readFile(path.join(repo.dir, "README.md"), "utf8");
    expect(once).toContain("## Tests: ");
    // A second run rewrites its file but finds its README section and the test script there.
    expect(await run()).toEqual([
      ["list_files"],
      ["read_file", "read_file"],
      ["write_file"],
      ["write_artifact"],
      [],
    ]);
    expect(await readFile(path.join(repo.dir, "README.md"), "utf8")).toBe(once);
  });

  it("leaves a document writer's document to the artifact (the run writes it to docs/)", async () => {
    const { repo, tools, artifacts, changes } = await setup();
    const ctx = prompt("system-architect", "adr");
    const result = await generateText({
      model: createDemoModel({ chunkDelayMs: 0 }),
      instructions: ctx.instructions,
      messages: ctx.messages,
      tools,
      stopWhen: isStepCount(10),
    });
    expect(callsOf(result.steps)).toEqual([["write_artifact"], []]);
    expect(artifacts[0]?.kind).toBe("adr");
    expect(changes).toEqual([]);
    const { stdout } = await git(["status", "--porcelain"], { cwd: repo.dir });
    expect(stdout).toBe("");
  });

  it("writes artifacts only, as before, when the repository tools are not offered", async () => {
    const { tools, artifacts } = await setup();
    const ctx = prompt("coder");
    const result = await generateText({
      model: createDemoModel({ chunkDelayMs: 0 }),
      instructions: ctx.instructions,
      messages: ctx.messages,
      tools: { write_artifact: tools.write_artifact },
      stopWhen: isStepCount(10),
    });
    expect(callsOf(result.steps)).toEqual([["write_artifact"], []]);
    expect(artifacts[0]?.summary).not.toContain("Changed in the repository");
  });

  it("gives a repository without package.json one, runs the checks for real before saving, and reports them", async () => {
    repo = await createTempRepo({ "README.md": README });
    const commands: { command: string; result: CommandResult }[] = [];
    const artifacts: AgentToolInput<"write_artifact">[] = [];
    const ctx = prompt("backend-engineer");
    const result = await generateText({
      model: createDemoModel({ chunkDelayMs: 0 }),
      instructions: ctx.instructions,
      messages: ctx.messages,
      tools: {
        ...createRepoTools(repo),
        ...execTools(repo.dir, commands),
        write_artifact: tool({
          inputSchema: agentToolInputSchemas.write_artifact,
          execute: async (input) => {
            artifacts.push(input);
            return { id: "art_1", version: 1 };
          },
        }),
      },
      stopWhen: isStepCount(10),
    });
    expect(callsOf(result.steps)).toEqual([
      ["list_files"],
      ["read_file"],
      ["write_file", "write_file", "write_file", "edit_file"],
      ["run_checks"],
      ["write_artifact"],
      [],
    ]);
    const pkg = JSON.parse(await readFile(path.join(repo.dir, "package.json"), "utf8"));
    expect(pkg).toMatchObject({ private: true, type: "module", scripts: { test: "node --test" } });
    expect(pkg.description).toContain("Demo model — scripted output, not AI");
    expect((await detectCommands(repo.dir)).test).toBe("npm test");
    expect(commands.map((c) => [c.command, c.result.code, tapCounts(c.result.output)])).toEqual([
      ["npm test", 0, { passed: 5, failed: 0, total: 5 }],
    ]);
    expect(result.steps[4]?.text).toContain("The checks pass: test `npm test`: passed — 5 passed, 0 failed.");
    expect(artifacts[0]?.path).toBe("src/csv-export-invoices.js");
  });

  it("says so when the checks fail unexpectedly, instead of claiming success", async () => {
    // A failing test that was already in the repository.
    repo = await createTempRepo({
      "README.md": README,
      "test/legacy.test.js":
        'import test from "node:test";\nimport assert from "node:assert/strict";\ntest("legacy", () => assert.equal(1, 2));\n',
    });
    const ctx = prompt("coder");
    const result = await generateText({
      model: createDemoModel({ chunkDelayMs: 0 }),
      instructions: ctx.instructions,
      messages: ctx.messages,
      tools: {
        ...createRepoTools(repo),
        ...execTools(repo.dir),
        write_artifact: (await setupTools()).write_artifact,
      },
      stopWhen: isStepCount(10),
    });
    expect(callsOf(result.steps).flat()).toContain("run_checks");
    expect(result.steps.at(-2)?.text).toContain(
      "The checks fail: test `npm test`: failed — 5 passed, 1 failed.",
    );
    expect(result.text).not.toContain("The checks pass");
  });
});
