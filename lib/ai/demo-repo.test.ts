import { readFile } from "node:fs/promises";
import path from "node:path";
import { generateText, isStepCount, streamText, tool } from "ai";
import { afterEach, describe, expect, it } from "vitest";
import { getBuiltinAgent } from "@/lib/agents/catalog";
import { type AgentToolInput, agentToolInputSchemas } from "@/lib/agents/tools";
import { git } from "@/lib/repos/git";
import { createRepoTools, type RepoFileChange } from "@/lib/repos/tools";
import { assembleContext } from "@/lib/runs/context";
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
      ["read_file"],
      ["write_file", "edit_file"],
      ["write_artifact"],
      [],
    ]);
    const read = result.steps[1]?.toolCalls[0]?.input as { path: string };
    expect(read.path).toBe("README.md");
    const written = artifacts[0];
    expect(written?.kind).toBe("code");
    const file = written?.path ?? "";
    expect(file).toMatch(/^src\/.+\/service\.ts$/);
    expect(await readFile(path.join(repo.dir, file), "utf8")).toBe(written?.content);
    const readme = await readFile(path.join(repo.dir, "README.md"), "utf8");
    expect(readme.startsWith(README.trimEnd())).toBe(true);
    expect(readme).toContain(`## ${written?.title}`);
    expect(readme).toContain("Demo model — scripted output, not AI");
    // The two writes of one step run in parallel: their reports come in either order.
    expect(changes.map((c) => [c.change, c.path]).sort()).toEqual([
      ["added", file],
      ["modified", "README.md"],
    ]);
    expect(written?.summary).toContain(`Changed in the repository: ${file}, README.md.`);
    expect(result.text).toContain("Changed in the repository");
    const { stdout } = await git(["status", "--porcelain"], { cwd: repo.dir });
    expect(stdout.split("\n").filter(Boolean).sort()).toEqual([
      " M README.md",
      `?? ${path.posix.dirname(file)}/`,
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
      ["read_file"],
      ["write_file", "edit_file"],
      ["write_artifact"],
      [],
    ]);
    expect(artifacts[0]?.path).toMatch(/service\.test\.ts$/);
    const once = await readFile(path.join(repo.dir, "README.md"), "utf8");
    expect(once).toContain("## Tests: ");
    // A second attempt (e.g. after review) rewrites its file but finds its README section there.
    expect(await run()).toEqual([["list_files"], ["read_file"], ["write_file"], ["write_artifact"], []]);
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
});
