import { readFile } from "node:fs/promises";
import path from "node:path";
import { generateText, isStepCount, tool } from "ai";
import { afterEach, describe, expect, it } from "vitest";
import { artifactKindSpec } from "@/lib/agents/artifact-kinds";
import { getBuiltinAgent } from "@/lib/agents/catalog";
import { type AgentToolInput, agentToolInputSchemas } from "@/lib/agents/tools";
import { detectCommands } from "@/lib/repos/detect-commands";
import { readmeFromBrief } from "@/lib/repos/init-origin";
import { createRepoTools } from "@/lib/repos/tools";
import { workingTreeFiles } from "@/lib/repos/tools/list-files";
import { assembleContext } from "@/lib/runs/context";
import { flattenPlan } from "@/lib/runs/plan";
import { getRunTemplate } from "@/lib/runs/templates";
import { type CommandResult, execTools, runIn, tapCounts } from "@/tests/support/demo-exec";
import { createTempRepo } from "@/tests/support/temp-repo";
import { SCRIPTED_FAILURE_TASKS } from "./demo/code";
import { createDemoModel, DEMO_MODEL_LABEL } from "./demo-model";

/**
 * The demo program, really run: every code task of the Feature build and Full delivery reference
 * plans is worked by the demo model through the real repository tools, in a repository that
 * starts with only its README (as a new project's does); the tests it writes are run with the
 * project's detected test command in a child process. The scripted task's first attempt fails a
 * real test; its rework reproduces, fixes and checks; the program ends green.
 */

const GOAL = "Add a CSV export of the orders for the accountant.";
const PROJECT = "Shop";

const repos: Awaited<ReturnType<typeof createTempRepo>>[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.cleanup()));
});

const codeTasks = (template: string) =>
  flattenPlan(getRunTemplate(template)?.referencePlan ?? { summary: "", phases: [] }).filter((t) => {
    const kind = getBuiltinAgent(t.agent)?.artifactKinds[0];
    return !!kind && artifactKindSpec(kind).format === "code";
  });

async function work(
  { dir, baseCommit }: { dir: string; baseCommit: string },
  template: string,
  task: ReturnType<typeof codeTasks>[number],
  attempt: { n: number; feedback?: string[]; previous?: string },
) {
  const agent = getBuiltinAgent(task.agent);
  if (!agent) throw new Error(task.agent);
  const ctx = assembleContext({
    purpose: "task",
    agent,
    project: { name: PROJECT, brief: "A small shop." },
    run: { goal: GOAL, template: { slug: template, name: getRunTemplate(template)?.name ?? template } },
    task: {
      key: task.key,
      title: task.title,
      description: task.description,
      acceptanceCriteria: task.acceptanceCriteria,
      priority: task.priority,
      assignee: task.agent,
      expectedArtifactKind: agent.artifactKinds[0],
      attempt: attempt.n,
      reviewFeedback: attempt.feedback,
      previousArtifact: attempt.previous
        ? { id: attempt.previous, title: task.title, kind: "code", version: 1, summary: "The first attempt." }
        : undefined,
    },
    repository: "A small repository.",
  });
  const saved: { tool: string; content: string; path?: string }[] = [];
  const commands: { command: string; result: CommandResult }[] = [];
  const result = await generateText({
    model: createDemoModel({ chunkDelayMs: 0 }),
    instructions: ctx.instructions,
    messages: ctx.messages,
    tools: {
      ...createRepoTools({ dir, baseCommit }),
      ...execTools(dir, commands),
      write_artifact: tool({
        inputSchema: agentToolInputSchemas.write_artifact,
        execute: async (input: AgentToolInput<"write_artifact">) => {
          saved.push({ tool: "write_artifact", content: input.content, path: input.path });
          return { id: `art_${task.key}`, version: 1 };
        },
      }),
      revise_artifact: tool({
        inputSchema: agentToolInputSchemas.revise_artifact,
        execute: async (input: AgentToolInput<"revise_artifact">) => {
          saved.push({ tool: "revise_artifact", content: input.content });
          return { id: input.artifactId, version: 2 };
        },
      }),
    },
    stopWhen: isStepCount(12),
  });
  return {
    calls: result.steps.flatMap((s) => s.toolCalls.map((c) => c.toolName)),
    saved,
    commands,
    text: result.text,
  };
}

async function npmTest(dir: string) {
  const result = await runIn(dir, "npm test");
  return { ...result, counts: tapCounts(result.output) };
}

const EXPECTED: Record<string, { afterTask: Record<string, number> }> = {
  "feature-build": { afterTask: { implementation: 5, tests: 12 } },
  "full-delivery": { afterTask: { backend: 5, frontend: 9, "automated-tests": 16 } },
};

describe("the demo program, really run", () => {
  for (const template of ["feature-build", "full-delivery"]) {
    it(`${template}: one scripted attempt fails a real test, its rework fixes it, and every test passes`, async () => {
      const repo = await createTempRepo({ "README.md": readmeFromBrief(PROJECT, "A small shop.") });
      repos.push(repo);
      const dir = repo.dir;
      const tasks = codeTasks(template);
      expect(tasks.map((t) => t.key)).toEqual(Object.keys(EXPECTED[template]?.afterTask ?? {}));
      let failures = 0;

      for (const task of tasks) {
        const first = await work(repo, template, task, { n: 1 });
        expect(first.saved, task.key).toHaveLength(1);
        if (task.key === SCRIPTED_FAILURE_TASKS[template]) {
          // Claims done without running the checks; the gate's run of the checks fails for real.
          expect(first.calls, task.key).not.toContain("run_checks");
          expect(first.calls).toContain("write_file");
          const gate = await npmTest(dir);
          expect(gate.code).toBe(1);
          expect(gate.counts).toEqual({ passed: 4, failed: 1, total: 5 });
          expect(gate.output).toMatch(/not ok \d+ - returns at most the requested number of items/);
          failures++;

          const rework = await work(repo, template, task, {
            n: 2,
            feedback: ["The checks failed on your commit: test `npm test`: failed — 4 passed, 1 failed."],
            previous: `art_${task.key}`,
          });
          expect(rework.calls).toEqual([
            "run_command",
            "read_file",
            "edit_file",
            "run_checks",
            "revise_artifact",
          ]);
          // The reproduction's output is the real failing run; the checks after the fix really pass.
          expect(rework.commands.map((c) => [c.command, c.result.code])).toEqual([
            ["npm test", 1],
            ["npm test", 0],
          ]);
          expect(rework.commands[0]?.result.output).toContain(
            "returns at most the requested number of items",
          );
          expect(rework.text).toContain("The checks pass: test `npm test`: passed — 5 passed, 0 failed.");
          const fixed = rework.saved[0]?.content ?? "";
          expect(await readFile(path.join(dir, `src/${slug}.js`), "utf8")).toBe(fixed);
        } else {
          expect(first.calls.indexOf("run_checks"), task.key).toBeGreaterThan(
            first.calls.indexOf("write_file"),
          );
          expect(first.calls.at(-1)).toBe("write_artifact");
          expect(first.commands.map((c) => c.result.code)).toEqual([0]);
          expect(first.text).toContain("The checks pass");
        }
        const after = await npmTest(dir);
        expect(after.code, `${task.key}\n${after.output}`).toBe(0);
        const expected = EXPECTED[template]?.afterTask[task.key];
        expect(after.counts, task.key).toEqual({ passed: expected, failed: 0, total: expected });
      }
      expect(failures).toBe(1);

      // What a new project's repository ends with: a package.json whose test script is detected
      // as `npm test`, and every file it wrote labelled as demo output.
      expect((await detectCommands(dir)).test).toBe("npm test");
      const pkg = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8"));
      expect(pkg).toMatchObject({ private: true, type: "module", scripts: { test: "node --test" } });
      expect(pkg.description).toContain(DEMO_MODEL_LABEL);
      const files = (await workingTreeFiles(dir)).filter((f) => f.endsWith(".js")).sort();
      expect(files.length).toBe(template === "feature-build" ? 3 : 5);
      for (const f of files) {
        const text = await readFile(path.join(dir, f), "utf8");
        expect(text.split("\n")[0], f).toContain(DEMO_MODEL_LABEL);
        expect(text, f).not.toMatch(/from "(zod|vitest|react)"/);
      }
      const readme = await readFile(path.join(dir, "README.md"), "utf8");
      expect(readme).toContain("demo output, written by a script");
      expect(readme).toContain("`npm test`");
    }, 60_000);
  }
});

const slug = "csv-export-orders";
