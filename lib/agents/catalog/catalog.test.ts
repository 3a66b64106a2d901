import { describe, expect, it } from "vitest";
import { READ_ONLY_REPO_TOOLS, REPO_TOOL_NAMES } from "@/lib/repos/tools/types";
import { artifactKindSpec } from "../artifact-kinds";
import { AGENT_CATEGORIES, agentDefinitionSchema } from "../schema";
import { AGENT_TOOL_NAMES } from "../tools";
import {
  getBuiltinAgent,
  listAssignableBuiltinAgents,
  listBuiltinAgents,
  ORCHESTRATOR_SLUG,
  REVIEWER_SLUG,
} from "./index";

const agents = listBuiltinAgents();

describe("built-in agent catalog", () => {
  it("has at least 30 agents with unique slugs", () => {
    expect(agents.length).toBeGreaterThanOrEqual(30);
    expect(new Set(agents.map((a) => a.slug)).size).toBe(agents.length);
  });

  it("validates every agent against the definition schema used for edited versions", () => {
    for (const agent of agents) {
      const parsed = agentDefinitionSchema.safeParse(agent);
      expect(parsed.success, `${agent.slug}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it("covers every category", () => {
    for (const category of AGENT_CATEGORIES) {
      expect(listBuiltinAgents({ category }).length, category).toBeGreaterThan(0);
    }
  });

  it("has the specialists the issue names", () => {
    const required = [
      "orchestrator",
      "reviewer",
      "requirements-elicitor",
      "researcher",
      "market-analyst",
      "compliance-analyst",
      "product-manager",
      "technical-spec-writer",
      "system-architect",
      "technology-advisor",
      "ux-designer",
      "coder",
      "code-reviewer",
      "debugger",
      "documentation-writer",
      "test-planner",
      "test-writer",
      "performance-engineer",
      "security-auditor",
      "devops-engineer",
      "monitoring-engineer",
      "incident-responder",
      "scribe",
      "knowledge-curator",
    ];
    for (const slug of required) expect(getBuiltinAgent(slug), slug).toBeDefined();
  });

  it("gives every agent a substantial prompt with its own job, contract, tools and quality bar", () => {
    for (const agent of agents) {
      expect(agent.systemPrompt.length, agent.slug).toBeGreaterThan(2500);
      for (const heading of [
        "## What you do",
        "## Output contract",
        "## Tools",
        "## Quality bar",
        "## Run rules",
      ]) {
        expect(agent.systemPrompt, `${agent.slug} ${heading}`).toContain(heading);
      }
      expect(agent.systemPrompt).toContain(`You are the ${agent.name} agent in DafnckMachine`);
      expect(agent.whenToUse.length).toBeGreaterThan(60);
    }
    // Prompts are written per agent, not one text with the name swapped.
    const jobs = agents.map((a) => a.systemPrompt.split("## What you do")[1]?.split("## Output contract")[0]);
    expect(new Set(jobs).size).toBe(agents.length);
  });

  it("only grants known tools, and describes exactly the tools granted", () => {
    for (const agent of agents) {
      expect(agent.tools.every((t) => (AGENT_TOOL_NAMES as readonly string[]).includes(t))).toBe(true);
      const toolsSection = agent.systemPrompt.split("## Tools")[1]?.split("## Quality bar")[0] ?? "";
      for (const tool of AGENT_TOOL_NAMES) {
        expect(toolsSection.includes(`\`${tool}\`:`), `${agent.slug} ${tool}`).toBe(
          agent.tools.includes(tool),
        );
      }
    }
  });

  it("lets artifact-producing agents write, and keeps the reviewer read-only", () => {
    for (const agent of agents) {
      const writesArtifacts = agent.artifactKinds.some((k) => k !== "plan" && k !== "review_verdict");
      if (writesArtifacts) expect(agent.tools, agent.slug).toContain("write_artifact");
    }
    expect(getBuiltinAgent(REVIEWER_SLUG)?.tools).toEqual([
      "read_project_brief",
      "read_context",
      "read_artifact",
      ...READ_ONLY_REPO_TOOLS,
    ]);
    expect(getBuiltinAgent(REVIEWER_SLUG)?.artifactKinds).toEqual(["review_verdict"]);
  });

  it("lets code, test and document writers change the repository, and keeps reviewers and the orchestrator read-only", () => {
    const writeTools = REPO_TOOL_NAMES.filter((t) => !READ_ONLY_REPO_TOOLS.includes(t));
    for (const slug of [
      "coder",
      "frontend-engineer",
      "backend-engineer",
      "debugger",
      "test-writer",
      "devops-engineer",
      "system-architect",
      "documentation-writer",
      "product-manager",
    ]) {
      expect(getBuiltinAgent(slug)?.tools, slug).toEqual(expect.arrayContaining([...REPO_TOOL_NAMES]));
    }
    for (const slug of [REVIEWER_SLUG, ORCHESTRATOR_SLUG, "code-reviewer", "security-auditor"]) {
      const tools = getBuiltinAgent(slug)?.tools ?? [];
      expect(tools, slug).toEqual(expect.arrayContaining([...READ_ONLY_REPO_TOOLS]));
      for (const t of writeTools) expect(tools, `${slug} ${t}`).not.toContain(t);
    }
    for (const agent of agents) {
      const docs = agent.artifactKinds.some((k) => artifactKindSpec(k).format === "markdown");
      const rule = agent.systemPrompt.includes("is also written to `docs/<kind>/<title>.md`");
      expect(rule, agent.slug).toBe(docs && agent.tools.includes("write_file"));
    }
    expect(getBuiltinAgent("coder")?.systemPrompt).toContain("use `edit_file` for changes to existing files");
  });

  it("puts each artifact kind's sections into the prompt's output contract", () => {
    const architect = getBuiltinAgent("system-architect");
    expect(architect?.systemPrompt).toContain("`## Executive summary and principles`");
    expect(architect?.systemPrompt).toContain("`## Success metrics`");
    expect(getBuiltinAgent("product-manager")?.systemPrompt).toContain("`## User stories`");
  });

  it("excludes the orchestrator and reviewer from assignable agents", () => {
    const slugs = listAssignableBuiltinAgents().map((a) => a.slug);
    expect(slugs).not.toContain(ORCHESTRATOR_SLUG);
    expect(slugs).not.toContain(REVIEWER_SLUG);
    expect(slugs.length).toBe(agents.length - 2);
  });

  it("returns undefined for unknown slugs and frozen definitions", () => {
    expect(getBuiltinAgent("nope")).toBeUndefined();
    expect(Object.isFrozen(getBuiltinAgent("coder"))).toBe(true);
  });
});

describe("agent definition schema", () => {
  const base = listBuiltinAgents()[0];

  it("rejects bad input with messages for a form", () => {
    const result = agentDefinitionSchema.safeParse({
      ...base,
      slug: "Bad Slug",
      tools: ["write_artifact", "write_artifact", "delete_everything"],
      modelTier: "huge",
      systemPrompt: "short",
    });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(messages).toContain(
      "slug: Use lowercase letters, digits and single dashes, starting with a letter.",
    );
    expect(messages).toContain("tools.2: Unknown tool.");
    expect(messages).toContain("modelTier: Choose fast, standard or deep.");
    expect(messages.some((m) => m.startsWith("systemPrompt: The system prompt is too short"))).toBe(true);
  });

  it("accepts an organization's edited version with a pinned model", () => {
    const edited = { ...base, slug: "acme-architect", name: "Acme Architect", modelId: "claude-opus-4-5" };
    expect(agentDefinitionSchema.parse(edited).modelId).toBe("claude-opus-4-5");
  });
});
