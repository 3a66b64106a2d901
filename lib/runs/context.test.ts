import { describe, expect, it } from "vitest";
import { getBuiltinAgent, listAssignableBuiltinAgents } from "@/lib/agents/catalog";
import {
  type ArtifactRef,
  assembleContext,
  type ContextInput,
  estimateTokens,
  type KnowledgeRef,
  parseAssignment,
} from "./context";
import { getRunTemplate } from "./templates";

const architect = getBuiltinAgent("system-architect");
const reviewer = getBuiltinAgent("reviewer");
const orchestrator = getBuiltinAgent("orchestrator");
if (!architect || !reviewer || !orchestrator) throw new Error("catalog is missing agents");
const template = getRunTemplate("technical-architecture-overview");
if (!template) throw new Error("template missing");

const drivers: ArtifactRef = {
  id: "art_drivers",
  title: "Architecture drivers",
  kind: "requirements",
  version: 2,
  summary: "Security first; 500 tenants; EU data residency.",
  author: "requirements-elicitor",
  taskKey: "architecture-drivers",
};

function taskInput(overrides: Partial<ContextInput> = {}): ContextInput {
  return {
    purpose: "task",
    agent: architect as NonNullable<typeof architect>,
    organization: { name: "Acme", standards: "Use PostgreSQL. All services in the EU." },
    project: { name: "Support Copilot", brief: "A help desk for B2B support teams." },
    run: {
      goal: "Design the architecture of Support Copilot.",
      template: { slug: template?.slug ?? "", name: template?.name ?? "" },
      plan: [
        {
          key: "architecture-drivers",
          title: "Capture drivers",
          agent: "requirements-elicitor",
          status: "done",
        },
        {
          key: "architecture-overview",
          title: "Write the overview",
          agent: "system-architect",
          status: "in_progress",
          dependsOn: ["architecture-drivers"],
        },
      ],
    },
    task: {
      key: "architecture-overview",
      title: "Write the technical architecture overview",
      description: "Write the overview.",
      acceptanceCriteria: ["Has all fifteen sections", "Success metrics have numeric targets"],
      priority: "critical",
      expectedArtifactKind: "architecture_overview",
    },
    artifacts: [drivers],
    ...overrides,
  };
}

describe("assembleContext", () => {
  it("puts the agent prompt and organization standards in the instructions", () => {
    const ctx = assembleContext(taskInput());
    expect(ctx.instructions.startsWith(architect?.systemPrompt ?? "")).toBe(true);
    expect(ctx.instructions).toContain("## Organization standards (Acme)");
    expect(ctx.instructions).toContain("Use PostgreSQL.");
  });

  it("hands down the layers in order in one user message", () => {
    const { messages } = assembleContext(taskInput());
    expect(messages).toHaveLength(1);
    const text = String(messages[0]?.content);
    const order = [
      "# Assignment",
      "## Project: Support Copilot",
      "## Run goal",
      "## Run plan",
      "## Your task",
      "## Artifacts you depend on",
      "## What to return",
    ];
    const positions = order.map((h) => text.indexOf(h));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("passes artifacts by reference and summary, never their content", () => {
    const text = String(assembleContext(taskInput()).messages[0]?.content);
    expect(text).toContain(
      "`art_drivers` · requirements v2 · «Architecture drivers» (by requirements-elicitor, task architecture-drivers) — Security first",
    );
    expect(text).toContain("read_artifact");
  });

  it("includes review feedback and the version to revise on a rework attempt", () => {
    const input = taskInput();
    const ctx = assembleContext({
      ...input,
      task: {
        ...(input.task as NonNullable<ContextInput["task"]>),
        attempt: 2,
        reviewFeedback: ['Add the "Risks" section.'],
        previousArtifact: {
          ...drivers,
          id: "art_overview",
          kind: "architecture_overview",
          title: "Overview",
        },
      },
    });
    const parsed = parseAssignment(String(ctx.messages[0]?.content));
    expect(parsed).toMatchObject({
      attempt: 2,
      reviewFeedback: ['Add the "Risks" section.'],
      previousArtifactId: "art_overview",
    });
  });

  it("stays within budget by shortening the least important layers first, never the task", () => {
    const many = Array.from({ length: 200 }, (_, i) => ({
      key: `task-${i}`,
      title: `A long task title number ${i} with words`,
      agent: "coder",
      status: "todo" as const,
    }));
    const longSummary = "This artifact summary is long. ".repeat(40);
    const input = taskInput({
      run: { ...taskInput().run, plan: many },
      artifacts: Array.from({ length: 30 }, (_, i) => ({ ...drivers, id: `art_${i}`, summary: longSummary })),
      budgetTokens: 4000,
    });
    const unbounded = assembleContext({ ...input, budgetTokens: 1_000_000 });
    expect(unbounded.estimatedTokens).toBeGreaterThan(8000);
    expect(unbounded.layers.every((l) => !l.shortened)).toBe(true);

    const ctx = assembleContext(input);
    expect(ctx.estimatedTokens).toBeLessThanOrEqual(4000);
    const shortened = Object.fromEntries(ctx.layers.map((l) => [l.name, l.shortened]));
    expect(shortened).toMatchObject({ plan: true, task: false, goal: false });
    const text = String(ctx.messages[0]?.content);
    expect(text).toContain("Success metrics have numeric targets");
    expect(text).toContain("read it with `read_context` (layer: run)");
    // Artifact references survive even when their summaries are dropped.
    expect(text).toContain("`art_29`");
  });

  it("keeps the roster's slugs and the template guidance when planning", () => {
    const roster = listAssignableBuiltinAgents().map((a) => ({
      slug: a.slug,
      name: a.name,
      whenToUse: a.whenToUse,
    }));
    const ctx = assembleContext({
      purpose: "plan",
      agent: orchestrator as NonNullable<typeof orchestrator>,
      project: { name: "Support Copilot" },
      run: {
        goal: "Design it.",
        template: {
          slug: template?.slug ?? "",
          name: template?.name ?? "",
          guidance: template?.orchestratorGuidance,
        },
      },
      roster,
      budgetTokens: 5000,
    });
    const text = String(ctx.messages[0]?.content);
    const parsed = parseAssignment(text);
    expect(parsed?.rosterSlugs).toEqual(roster.map((r) => r.slug));
    expect(text).toContain("## Template guidance: Technical architecture overview");
    expect(text).toContain("No project brief has been written yet.");
  });

  it("shows the artifact under review in full and reads it back", () => {
    const content = "# Overview\n\n## Executive summary and principles\nText with <tags> and ``` fences.\n";
    const ctx = assembleContext({
      ...taskInput({ purpose: "review", agent: reviewer as NonNullable<typeof reviewer> }),
      subject: { ...drivers, id: "art_overview", kind: "architecture_overview", content },
    });
    const parsed = parseAssignment(String(ctx.messages[0]?.content));
    expect(parsed?.purpose).toBe("review");
    expect(parsed?.subject).toEqual({ id: "art_overview", kind: "architecture_overview", content: content });
    expect(parsed?.acceptanceCriteria).toEqual([
      "Has all fifteen sections",
      "Success metrics have numeric targets",
    ]);
  });

  it("reads back the assignment of a task prompt", () => {
    const parsed = parseAssignment(String(assembleContext(taskInput()).messages[0]?.content));
    expect(parsed).toMatchObject({
      purpose: "task",
      agent: "system-architect",
      template: "technical-architecture-overview",
      taskKey: "architecture-overview",
      taskTitle: "Write the technical architecture overview",
      expectedArtifactKind: "architecture_overview",
      attempt: 1,
      goal: "Design the architecture of Support Copilot.",
      projectName: "Support Copilot",
      artifactIds: ["art_drivers"],
      artifactTitles: ["Architecture drivers"],
    });
    expect(parseAssignment("Tell me a joke")).toBeUndefined();
  });

  it("estimates tokens at about four characters each", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd".repeat(10))).toBe(10);
  });
});

describe("assembleContext for a long review", () => {
  it("shortens the artifact under review last, keeping it well-formed", () => {
    const content = Array.from(
      { length: 2000 },
      (_, i) => `Line ${i} of a very long architecture document.`,
    ).join("\n");
    const ctx = assembleContext({
      ...taskInputForReview(),
      subject: { ...drivers, id: "art_big", kind: "architecture_overview", content },
      budgetTokens: 6000,
    });
    expect(ctx.estimatedTokens).toBeLessThanOrEqual(9050);
    expect(ctx.layers.find((l) => l.name === "subject")?.shortened).toBe(true);
    const parsed = parseAssignment(String(ctx.messages[0]?.content));
    expect(parsed?.subject?.id).toBe("art_big");
    expect(parsed?.subject?.content.startsWith("Line 0 of")).toBe(true);
    expect(parsed?.subject?.content).toContain("read it in full with `read_artifact`");
  });
});

function taskInputForReview(): ContextInput {
  const base = {
    purpose: "review" as const,
    agent: reviewer as NonNullable<typeof reviewer>,
    project: { name: "Support Copilot" },
    run: {
      goal: "Design it.",
      template: { slug: "technical-architecture-overview", name: "Technical architecture overview" },
    },
    task: {
      key: "architecture-overview",
      title: "Write the overview",
      description: "Write it.",
      acceptanceCriteria: ["Has all fifteen sections"],
      priority: "critical" as const,
    },
  };
  return base;
}

describe("the repository map in the prompt", () => {
  const map =
    "120 files, 1.2 MB (ignored files excluded).\n\n### Tree (folders by number of files)\n- src/ — 100 files, 1.0 MB";

  it("is handed to agents and the orchestrator by reference, with how to read details", () => {
    for (const purpose of ["task", "plan", "review"] as const) {
      const ctx = assembleContext(taskInput({ purpose, repository: map }));
      const user = String(ctx.messages[0]?.content);
      expect(user, purpose).toContain("## Repository\nA map of the project's repository");
      expect(user).toContain("Use `list_files`, `read_file` and `search_code` for details");
      expect(user).toContain("- src/ — 100 files");
      expect(user.indexOf("## Repository")).toBeGreaterThan(user.indexOf("## Run goal"));
      expect(ctx.layers.find((l) => l.name === "repository")?.shortened).toBe(false);
    }
    const summary = assembleContext(taskInput({ purpose: "summary", repository: map }));
    expect(String(summary.messages[0]?.content)).not.toContain("## Repository");
    expect(String(assembleContext(taskInput()).messages[0]?.content)).not.toContain("## Repository");
  });

  it("is shortened before the project and the task when over budget, pointing to the tools", () => {
    const big = `${map}\n${"- lib/x/ — 3 files\n".repeat(2000)}`;
    const ctx = assembleContext(taskInput({ repository: big, budgetTokens: 9000 }));
    expect(ctx.estimatedTokens).toBeLessThanOrEqual(9050);
    const layer = ctx.layers.find((l) => l.name === "repository");
    expect(layer?.shortened).toBe(true);
    expect(String(ctx.messages[0]?.content)).toContain(
      "explore it with `list_files`, `read_file` and `search_code`",
    );
    expect(ctx.layers.find((l) => l.name === "task")?.shortened).toBe(false);
  });
});

describe("the knowledge in the prompt", () => {
  const long = `Every service is multi-tenant with row-level security on org_id. ${"It also says many more things about tenancy. ".repeat(40)}END-OF-PASSAGE`;
  const refs: KnowledgeRef[] = Array.from({ length: 6 }, (_, i) => ({
    title: `Standard ${i}`,
    citation: `Standard ${i} › Tenancy, lines ${i + 1}–${i + 9}`,
    documentId: `doc_${i}`,
    source: i % 2 ? "insight" : "upload",
    snippet: long,
  }));

  it("lists references (title, citation, id, one line), never the passages, and how to search them", () => {
    for (const purpose of ["task", "plan", "review"] as const) {
      const ctx = assembleContext(taskInput({ purpose, knowledge: refs }));
      const user = String(ctx.messages[0]?.content);
      expect(user, purpose).toContain("## Knowledge that may apply");
      expect(user).toContain("search it with `search_knowledge`");
      expect(user).toContain(
        "- «Standard 1» (insight, `doc_1`): Standard 1 › Tenancy, lines 2–10 — Every service",
      );
      expect(user).not.toContain("END-OF-PASSAGE");
      const line = user.split("\n").find((l) => l.includes("`doc_0`")) ?? "";
      expect(line.length).toBeLessThan(320);
      expect(ctx.layers.find((l) => l.name === "knowledge")?.shortened).toBe(false);
    }
    expect(
      String(assembleContext(taskInput({ purpose: "summary", knowledge: refs })).messages[0]?.content),
    ).not.toContain("## Knowledge that may apply");
    expect(String(assembleContext(taskInput()).messages[0]?.content)).not.toContain("## Knowledge");
  });

  it("is shortened first when over budget: snippets go, every reference stays", () => {
    const full = assembleContext(taskInput({ knowledge: refs, budgetTokens: 1_000_000 }));
    const knowledgeTokens = full.layers.find((l) => l.name === "knowledge")?.fullTokens ?? 0;
    // Just over budget by part of the knowledge layer: shrunk evenly, the plan untouched.
    const shrunk = assembleContext(
      taskInput({ knowledge: refs, budgetTokens: full.estimatedTokens - Math.floor(knowledgeTokens / 3) }),
    );
    const layers = Object.fromEntries(shrunk.layers.map((l) => [l.name, l]));
    expect(layers.knowledge?.shortened).toBe(true);
    expect(layers.plan?.shortened).toBe(false);
    expect(layers.knowledge?.tokens).toBeLessThan(knowledgeTokens);
    const text = String(shrunk.messages[0]?.content);
    for (const r of refs) expect(text).toContain(`\`${r.documentId}\`): ${r.citation} — Every`);
    // Far over budget: only the references are left, and other layers shorten after it.
    const bare = assembleContext(taskInput({ knowledge: refs, budgetTokens: 1_500 }));
    const bareText = String(bare.messages[0]?.content);
    for (const r of refs)
      expect(bareText).toContain(
        `- «${r.title}» (${r.source}, \`${r.documentId}\`): ${r.citation}\n`.trimEnd(),
      );
    expect(bareText).not.toContain("— Every service");
    expect(bare.layers.find((l) => l.name === "knowledge")?.shortened).toBe(true);
    expect(bare.layers.find((l) => l.name === "task")?.shortened).toBe(false);
  });
});
