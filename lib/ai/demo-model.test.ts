import { generateText, isStepCount, Output, streamText, tool } from "ai";
import { describe, expect, it } from "vitest";
import {
  ARCHITECTURE_OVERVIEW_SECTIONS,
  artifactKindSpec,
  missingSections,
} from "@/lib/agents/artifact-kinds";
import { getBuiltinAgent, listAssignableBuiltinAgents } from "@/lib/agents/catalog";
import { type AgentToolInput, agentToolInputSchemas } from "@/lib/agents/tools";
import { reviewVerdictSchema } from "@/lib/agents/verdict";
import { type ArtifactRef, assembleContext, type ContextInput } from "@/lib/runs/context";
import { flattenPlan, planSchema, validatePlan } from "@/lib/runs/plan";
import { getRunTemplate, RUN_TEMPLATE_SLUGS } from "@/lib/runs/templates";
import { createDemoModel, DEMO_MODEL_ID, DEMO_MODEL_LABEL, isDemoModel } from "./demo-model";

const GOAL = "Build a customer feedback portal for B2B support teams, with AI triage of incoming feedback.";
const roster = listAssignableBuiltinAgents().map((a) => ({
  slug: a.slug,
  name: a.name,
  whenToUse: a.whenToUse,
}));

function agent(slug: string) {
  const found = getBuiltinAgent(slug);
  if (!found) throw new Error(`no agent ${slug}`);
  return found;
}

function planContext(templateSlug: string, rosterOverride = roster) {
  const template = getRunTemplate(templateSlug);
  if (!template) throw new Error(templateSlug);
  return assembleContext({
    purpose: "plan",
    agent: agent("orchestrator"),
    project: { name: "Feedback Portal", brief: "A portal where customers leave feedback." },
    run: {
      goal: GOAL,
      template: { slug: template.slug, name: template.name, guidance: template.orchestratorGuidance },
    },
    roster: rosterOverride,
  });
}

function taskContext(
  slug: string,
  overrides: Partial<ContextInput> = {},
  task: Partial<NonNullable<ContextInput["task"]>> = {},
) {
  const a = agent(slug);
  return assembleContext({
    purpose: "task",
    agent: a,
    project: { name: "Feedback Portal", brief: "A portal where customers leave feedback." },
    run: { goal: GOAL, template: { slug: "full-delivery", name: "Full delivery" } },
    task: {
      key: "the-task",
      title: `Task for ${a.name}`,
      description: "Do the task.",
      acceptanceCriteria: ["Covers every required section", "Is specific to the goal"],
      priority: "high",
      expectedArtifactKind: a.artifactKinds[0],
      ...task,
    },
    ...overrides,
  });
}

const drivers: ArtifactRef = {
  id: "art_drivers",
  title: "Architecture drivers",
  kind: "requirements",
  version: 1,
  summary: "Drivers.",
};

/** The tools the engine binds, with in-memory execution. */
function fakeTools() {
  const writes: AgentToolInput<"write_artifact">[] = [];
  const revisions: AgentToolInput<"revise_artifact">[] = [];
  const reads: string[] = [];
  const tools = {
    read_artifact: tool({
      inputSchema: agentToolInputSchemas.read_artifact,
      execute: async ({ artifactId }) => {
        reads.push(artifactId);
        return { id: artifactId, content: "# Architecture drivers\n\n## Problem statement\n..." };
      },
    }),
    write_artifact: tool({
      inputSchema: agentToolInputSchemas.write_artifact,
      execute: async (input) => {
        writes.push(input);
        return { id: "art_new", version: 1 };
      },
    }),
    revise_artifact: tool({
      inputSchema: agentToolInputSchemas.revise_artifact,
      execute: async (input) => {
        revisions.push(input);
        return { id: input.artifactId, version: 2 };
      },
    }),
  };
  return { tools, writes, revisions, reads };
}

function reviewContext(content: string, kind: ArtifactRef["kind"], attempt = 1) {
  return assembleContext({
    purpose: "review",
    agent: agent("reviewer"),
    project: { name: "Feedback Portal" },
    run: {
      goal: GOAL,
      template: { slug: "technical-architecture-overview", name: "Technical architecture overview" },
    },
    task: {
      key: "architecture-overview",
      title: "Write the technical architecture overview",
      description: "Write it.",
      acceptanceCriteria: ["Has all fifteen sections, in order", "Success metrics have numeric targets"],
      priority: "critical",
      assignee: "system-architect",
      attempt,
    },
    subject: { id: "art_1", title: "Overview", kind, version: attempt, summary: "Overview.", content },
  });
}

describe("demo model identity", () => {
  it("is a v4 model labelled as scripted", () => {
    const model = createDemoModel({ chunkDelayMs: 0 });
    expect(model.specificationVersion).toBe("v4");
    expect(model.modelId).toBe("demo-scripted");
    expect(DEMO_MODEL_ID).toBe("demo-scripted");
    expect(DEMO_MODEL_LABEL).toBe("Demo model — scripted output, not AI");
    expect(isDemoModel(model)).toBe(true);
    expect(isDemoModel("gpt-5")).toBe(false);
    expect(() => createDemoModel({ reviewFailureRate: 2 })).toThrow();
  });

  it("answers a prompt without an assignment with a labelled message", async () => {
    const { text } = await generateText({
      model: createDemoModel({ chunkDelayMs: 0 }),
      prompt: "Tell me a joke.",
    });
    expect(text).toContain(DEMO_MODEL_LABEL);
  });
});

describe("orchestrator plans", () => {
  for (const slug of RUN_TEMPLATE_SLUGS) {
    it(`writes a valid plan for "${slug}" as structured output`, async () => {
      const ctx = planContext(slug);
      const result = await generateText({
        model: createDemoModel({ chunkDelayMs: 0 }),
        instructions: ctx.instructions,
        messages: ctx.messages,
        output: Output.object({ schema: planSchema }),
      });
      const validation = validatePlan(
        result.output,
        roster.map((r) => r.slug),
      );
      expect(validation.ok ? [] : validation.errors).toEqual([]);
      const template = getRunTemplate(slug);
      expect(result.output.phases.map((p) => p.key)).toEqual(template?.phases.map((p) => p.key));
      const tasks = flattenPlan(result.output);
      expect(tasks.every((t) => t.description.includes(GOAL))).toBe(true);
      expect(tasks.some((t) => t.needsApproval)).toBe(true);
      expect(result.usage.inputTokens).toBeGreaterThan(1000);
      expect(result.usage.outputTokens).toBeGreaterThan(100);
      expect(result.response.modelId).toBe(DEMO_MODEL_ID);
    });
  }

  it("streams the plan as partial objects", async () => {
    const ctx = planContext("technical-architecture-overview");
    const result = streamText({
      model: createDemoModel({ chunkDelayMs: 0 }),
      instructions: ctx.instructions,
      messages: ctx.messages,
      output: Output.object({ schema: planSchema }),
    });
    let partials = 0;
    for await (const _partial of result.partialOutputStream) partials++;
    expect(partials).toBeGreaterThan(10);
    const plan = await result.output;
    expect(flattenPlan(plan).find((t) => t.key === "architecture-overview")?.agent).toBe("system-architect");
  });

  it("only assigns agents from the roster it was given", async () => {
    const small = roster.filter(
      (r) => !["market-analyst", "compliance-analyst", "monitoring-engineer"].includes(r.slug),
    );
    const ctx = planContext("full-delivery", small);
    const { output } = await generateText({
      model: createDemoModel({ chunkDelayMs: 0 }),
      instructions: ctx.instructions,
      messages: ctx.messages,
      output: Output.object({ schema: planSchema }),
    });
    const validation = validatePlan(
      output,
      small.map((r) => r.slug),
    );
    expect(validation.ok).toBe(true);
  });
});

describe("agents doing tasks", () => {
  it("reads its inputs, then writes the fifteen-section architecture overview through the tools, streaming", async () => {
    const { tools, writes, reads } = fakeTools();
    const ctx = taskContext("system-architect", { artifacts: [drivers] });
    const result = streamText({
      model: createDemoModel({ chunkDelayMs: 0 }),
      instructions: ctx.instructions,
      messages: ctx.messages,
      tools,
      stopWhen: isStepCount(5),
    });
    const counts: Record<string, number> = {};
    for await (const part of result.fullStream) counts[part.type] = (counts[part.type] ?? 0) + 1;

    expect(reads).toEqual(["art_drivers"]);
    expect(writes).toHaveLength(1);
    const [written] = writes;
    expect(written?.kind).toBe("architecture_overview");
    expect(missingSections("architecture_overview", written?.content ?? "")).toEqual([]);
    const headings = (written?.content ?? "").split("\n").filter((l) => l.startsWith("## "));
    expect(headings).toEqual(ARCHITECTURE_OVERVIEW_SECTIONS.map((s) => `## ${s}`));
    expect(written?.content).toContain(DEMO_MODEL_LABEL);
    expect(written?.content).toContain("```mermaid");
    expect(agentToolInputSchemas.write_artifact.safeParse(written).success).toBe(true);

    expect((await result.steps).length).toBe(3);
    expect(counts["text-delta"]).toBeGreaterThan(10);
    expect(counts["tool-input-delta"]).toBeGreaterThan(100);
    expect(await result.text).toContain("Saved the result");
    const usage = await result.totalUsage;
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeGreaterThan(1000);
  });

  it("follows every built-in agent's output contract when replying without tools", async () => {
    const model = createDemoModel({ chunkDelayMs: 0 });
    for (const { slug } of roster) {
      const kind = agent(slug).artifactKinds[0];
      if (!kind) throw new Error(slug);
      const ctx = taskContext(slug);
      const { text } = await generateText({ model, instructions: ctx.instructions, messages: ctx.messages });
      if (artifactKindSpec(kind).format === "markdown") {
        expect(missingSections(kind, text), `${slug} (${kind})`).toEqual([]);
        expect(text, slug).toContain(DEMO_MODEL_LABEL);
      } else {
        expect(text, slug).toMatch(/^(\/\/|"use client")/);
        expect(text, slug).toContain(DEMO_MODEL_LABEL);
      }
    }
  });

  it("writes code files with a path for coders and tests for the test writer", async () => {
    const model = createDemoModel({ chunkDelayMs: 0 });
    const written: Record<string, AgentToolInput<"write_artifact">> = {};
    for (const slug of ["backend-engineer", "frontend-engineer", "test-writer"]) {
      const { tools, writes } = fakeTools();
      const ctx = taskContext(slug);
      await generateText({
        model,
        instructions: ctx.instructions,
        messages: ctx.messages,
        tools,
        stopWhen: isStepCount(4),
      });
      expect(writes, slug).toHaveLength(1);
      written[slug] = writes[0] as AgentToolInput<"write_artifact">;
    }
    // A Node program, standard library only: no zod, vitest or react that a bare repository lacks.
    expect(written["backend-engineer"]).toMatchObject({
      kind: "code",
      language: "javascript",
      path: "src/customer-feedback-portal.js",
    });
    expect(written["backend-engineer"]?.content).toContain(
      "export function createCustomerFeedbackPortalStore(",
    );
    expect(written["frontend-engineer"]).toMatchObject({
      kind: "code",
      language: "javascript",
      path: "src/customer-feedback-portal-view.js",
    });
    expect(written["frontend-engineer"]?.content).toContain(
      "export function renderCustomerFeedbackPortalList(",
    );
    expect(written["test-writer"]).toMatchObject({
      kind: "test_code",
      path: "test/customer-feedback-portal.more.test.js",
    });
    expect(written["test-writer"]?.content).toContain('from "node:test"');
    expect(written["test-writer"]?.content).toContain('from "../src/customer-feedback-portal.js"');
    for (const w of Object.values(written)) {
      expect(w.content.split("\n")[0]).toContain(DEMO_MODEL_LABEL);
      expect(w.content).not.toMatch(/from "(?!node:|\.\.?\/)/);
    }
  });

  it("revises its previous artifact when the reviewer sent it back", async () => {
    const { tools, writes, revisions } = fakeTools();
    const ctx = taskContext(
      "product-manager",
      {},
      {
        attempt: 2,
        reviewFeedback: ["Add Given/When/Then criteria to US-4."],
        previousArtifact: { id: "art_prd", title: "PRD", kind: "prd", version: 1, summary: "The PRD." },
      },
    );
    await generateText({
      model: createDemoModel({ chunkDelayMs: 0 }),
      instructions: ctx.instructions,
      messages: ctx.messages,
      tools,
      stopWhen: isStepCount(4),
    });
    expect(writes).toEqual([]);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({
      artifactId: "art_prd",
      changeNote: expect.stringContaining("US-4"),
    });
    expect(revisions[0]?.content).toContain(
      "Revised to address the review: Add Given/When/Then criteria to US-4.",
    );
  });

  it("writes the run summary from the plan and the artifacts", async () => {
    const ctx = assembleContext({
      purpose: "summary",
      agent: agent("orchestrator"),
      project: { name: "Feedback Portal" },
      run: {
        goal: GOAL,
        template: { slug: "product-requirements", name: "Product requirements" },
        plan: [
          { key: "prd", title: "Write the PRD", agent: "product-manager", status: "done" },
          { key: "ux-flows", title: "Design the flows", agent: "ux-designer", status: "failed" },
        ],
      },
      artifacts: [
        { id: "art_prd", title: "PRD: feedback portal", kind: "prd", version: 2, summary: "The PRD." },
      ],
    });
    const { text } = await generateText({
      model: createDemoModel({ chunkDelayMs: 0 }),
      instructions: ctx.instructions,
      messages: ctx.messages,
    });
    expect(missingSections("run_summary", text)).toEqual([]);
    expect(text).toContain("«PRD: feedback portal»");
    expect(text).toContain("1 task(s) not completed");
    expect(text).toContain("`ux-flows` Design the flows — ux-designer — failed");
  });
});

async function review(
  content: string,
  options: { attempt?: number; failureRate?: number; kind?: ArtifactRef["kind"] } = {},
) {
  const ctx = reviewContext(content, options.kind ?? "architecture_overview", options.attempt);
  const { output } = await generateText({
    model: createDemoModel({ chunkDelayMs: 0, reviewFailureRate: options.failureRate ?? 0 }),
    instructions: ctx.instructions,
    messages: ctx.messages,
    output: Output.object({ schema: reviewVerdictSchema }),
  });
  return output;
}

const complete = `# Overview\n\n${ARCHITECTURE_OVERVIEW_SECTIONS.map((s) => `## ${s}\n\nSpecific content.`).join("\n\n")}`;

describe("reviewer verdicts", () => {
  it("passes a document with every section, one entry per criterion", async () => {
    const verdict = await review(complete);
    expect(verdict.verdict).toBe("pass");
    expect(verdict.reasons).toEqual([]);
    expect(verdict.criteria.map((c) => [c.criterion, c.met])).toEqual([
      ["Has all fifteen sections, in order", true],
      ["Success metrics have numeric targets", true],
    ]);
  });

  it("fails a document missing sections, with a reason per missing section", async () => {
    const partial = complete.replace("## Risks", "## Dangers").replace("## Roadmap", "## Plan");
    const verdict = await review(partial);
    expect(verdict.verdict).toBe("fail");
    expect(verdict.reasons).toEqual([
      'Add the "Risks" section (`## Risks`); a technical architecture overview requires it.',
      'Add the "Roadmap" section (`## Roadmap`); a technical architecture overview requires it.',
    ]);
    expect(verdict.criteria.every((c) => !c.met)).toBe(true);
  });

  it("fails placeholders and empty submissions", async () => {
    expect((await review(`${complete}\n\nTBD`)).reasons).toContain(
      "Replace the placeholders (TBD, TODO, lorem ipsum) with real content.",
    );
    expect((await review("")).verdict).toBe("fail");
  });

  it("can fail first attempts to exercise the rework loop, then pass the revision", async () => {
    const first = await review(complete, { attempt: 1, failureRate: 1 });
    expect(first.verdict).toBe("fail");
    expect(first.reasons[0]).toContain("Has all fifteen sections, in order");
    expect((await review(complete, { attempt: 2, failureRate: 1 })).verdict).toBe("pass");
  });
});

describe("reviewer verdicts on code, with the checks", () => {
  async function reviewCode(content: string, options: { attempt?: number; failureRate?: number } = {}) {
    const ctx = reviewContext(content, "code", options.attempt);
    const { output } = await generateText({
      model: createDemoModel({ chunkDelayMs: 0, reviewFailureRate: options.failureRate ?? 0 }),
      instructions: ctx.instructions,
      messages: ctx.messages,
      output: Output.object({ schema: reviewVerdictSchema }),
    });
    return output;
  }

  const code = "// A module.\nexport const answer = 42;\n";
  const checks = (...lines: string[]) => `${code}\n## Checks\n\n${lines.map((l) => `- ${l}`).join("\n")}\n`;

  it("fails code whose checks section shows a failing check, with the check as the reason", async () => {
    const verdict = await reviewCode(
      checks("build `npm run build`: passed", "test `npm test`: failed — 4 passed, 1 failed"),
    );
    expect(verdict.verdict).toBe("fail");
    expect(verdict.reasons).toEqual([
      "A check fails on this commit: test `npm test`: failed — 4 passed, 1 failed. Fix the cause and run the checks again.",
    ]);
    expect(verdict.criteria.every((c) => !c.met && c.evidence.includes("`npm test`: failed"))).toBe(true);
    expect((await reviewCode(checks("test `npm test`: error — the sandbox refused"))).verdict).toBe("fail");
  });

  it("passes code whose checks pass (a count of 0 failed is not a failure) and says so", async () => {
    const verdict = await reviewCode(
      checks("test `npm test`: passed — 5 passed, 0 failed", "lint `npm run lint`: skipped"),
    );
    expect(verdict.verdict).toBe("pass");
    expect(verdict.summary).toContain("test `npm test`: passed — 5 passed, 0 failed");
    expect((await reviewCode(code)).verdict).toBe("pass");
  });

  it("never fails code at random: its one scripted failure is a real failing test", async () => {
    expect((await reviewCode(code, { attempt: 1, failureRate: 1 })).verdict).toBe("pass");
    expect((await review(complete, { attempt: 1, failureRate: 1 })).verdict).toBe("fail");
  });

  it("reads TAP's '# todo 0' in a document's checks as output, not as a placeholder", async () => {
    const doc = `${complete}\n\n## Checks\n\n- test \`npm test\`: passed — 5 passed, 0 failed\n\n# todo 0\n`;
    expect((await review(doc)).verdict).toBe("pass");
  });
});

describe("determinism and pacing", () => {
  async function overview(seed: number) {
    const ctx = taskContext("system-architect");
    const { text } = await generateText({
      model: createDemoModel({ seed, chunkDelayMs: 0 }),
      instructions: ctx.instructions,
      messages: ctx.messages,
    });
    return text;
  }

  it("gives the same output for the same seed and varies with the seed", async () => {
    expect(await overview(7)).toBe(await overview(7));
    const others = await Promise.all([1, 2, 3, 4].map(overview));
    expect(new Set(others).size).toBeGreaterThan(1);
  });

  it("streams in word-sized chunks at the configured pace", async () => {
    const delay = 15;
    const result = streamText({
      model: createDemoModel({ chunkDelayMs: delay }),
      prompt: "No assignment here.",
    });
    const stamps: number[] = [];
    const chunks: string[] = [];
    const start = performance.now();
    for await (const delta of result.textStream) {
      stamps.push(performance.now() - start);
      chunks.push(delta);
    }
    expect(chunks.join("")).toContain(DEMO_MODEL_LABEL);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.every((c) => c.trim().split(/\s+/).length <= 5)).toBe(true);
    // The whole reply took at least one delay per chunk, spread out rather than in one burst.
    expect(stamps.at(-1) ?? 0).toBeGreaterThanOrEqual(delay * chunks.length * 0.8);
    expect((stamps.at(-1) ?? 0) - (stamps[0] ?? 0)).toBeGreaterThanOrEqual(delay * (chunks.length - 2));
  });

  it("stops streaming when the caller aborts", async () => {
    const controller = new AbortController();
    const ctx = taskContext("system-architect");
    const result = streamText({
      model: createDemoModel({ chunkDelayMs: 5 }),
      instructions: ctx.instructions,
      messages: ctx.messages,
      abortSignal: controller.signal,
    });
    let deltas = 0;
    const types: string[] = [];
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === "text-delta" && ++deltas === 3) controller.abort();
    }
    expect(deltas).toBeLessThan(10);
    expect(types).toContain("abort");
  });
});
