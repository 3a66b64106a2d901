import { describe, expect, it } from "vitest";
import { markdownHeadings, requiredSections } from "@/lib/agents/artifact-kinds";
import { getBuiltinAgent } from "@/lib/agents/catalog";
import { AGENT_TOOL_NAMES, agentToolInputSchemas } from "@/lib/agents/tools";
import { assembleContext } from "@/lib/runs/context";
import type { ToolOutput } from "./repo-steps";
import { type ScriptPart, scriptFor } from "./script";

/** The demo architect and the knowledge base: it searches before writing and cites what it found. */

type Call = Extract<ScriptPart, { type: "tool-call" }>;
const GOAL = "Design the architecture of a customer feedback portal with AI triage.";

function architectPrompt(agentSlug = "system-architect", inputs = true) {
  const agent = getBuiltinAgent(agentSlug);
  if (!agent) throw new Error(agentSlug);
  return String(
    assembleContext({
      purpose: "task",
      agent,
      project: { name: "Feedback Portal", brief: "A portal where customers leave feedback." },
      run: { goal: GOAL, template: { slug: "technical-architecture-overview", name: "Architecture" } },
      task: {
        key: "architecture-overview",
        title: "Write the technical architecture overview",
        description: "Write it.",
        acceptanceCriteria: ["Has all sections"],
        priority: "critical",
        assignee: agentSlug,
        expectedArtifactKind: agent.artifactKinds[0],
      },
      artifacts: inputs
        ? [{ id: "art_drivers", title: "Drivers", kind: "requirements", version: 1, summary: "The drivers." }]
        : undefined,
    }).messages[0]?.content,
  );
}

function drive(userText: string, toolNames: readonly string[], answer: (call: Call) => unknown) {
  const outputs: ToolOutput[] = [];
  const steps: Call[][] = [];
  for (let i = 0; i < 8; i++) {
    const parts = scriptFor(
      { userText, toolNames, toolResults: outputs.map((o) => o.toolName), toolOutputs: outputs, json: false },
      { seed: 1, reviewFailureRate: 0 },
    );
    const calls = parts.filter((p): p is Call => p.type === "tool-call");
    steps.push(calls);
    if (!calls.length) return steps;
    for (const call of calls) outputs.push({ toolName: call.toolName, output: answer(call) });
  }
  throw new Error("The script did not finish.");
}

const TOOLS = [...AGENT_TOOL_NAMES];
const contentOf = (call: Call | undefined) =>
  String((call?.input as { content?: string } | undefined)?.content ?? "");
const found = {
  results: [
    {
      citation: "Platform standards › Tenancy, lines 3–9",
      title: "Platform standards",
      documentId: "doc-standards",
      source: "upload",
      content: "Row-level security on org_id.",
    },
  ],
  mode: "text",
  note: "Cite the passages you rely on by their citation.",
};
const answer =
  (search: unknown) =>
  (call: Call): unknown =>
    call.toolName === "search_knowledge" ? search : { id: "art_new", version: 1 };

describe("the demo architect and the knowledge base", () => {
  it("searches with its reads, cites the passages in a Sources subsection and records the decision", () => {
    const steps = drive(architectPrompt(), TOOLS, answer(found));
    expect(steps.map((s) => s.map((c) => c.toolName))).toEqual([
      ["read_artifact", "search_knowledge"],
      ["write_artifact", "record_insight"],
      [],
    ]);
    const search = steps[0]?.[1]?.input;
    expect(agentToolInputSchemas.search_knowledge.safeParse(search).success).toBe(true);
    expect(search).toMatchObject({ scope: "project" });
    expect(String((search as { query: string }).query)).toMatch(/standards or .*feedback or portal/);
    const written = {
      kind: (steps[1]?.[0]?.input as { kind?: string } | undefined)?.kind,
      content: contentOf(steps[1]?.[0]),
    };
    expect(written.kind).toBe("architecture_overview");
    expect(written.content).toContain(
      "### Sources\n\nThe organization's standards and the project's references this design follows, from the knowledge base:\n\n- Platform standards › Tenancy, lines 3–9 (knowledge document `doc-standards`)",
    );
    // The contract's sections are unchanged: Sources is a subsection, not a section.
    const level2 = written.content.split("\n").filter((l) => l.startsWith("## "));
    expect(level2.map((l) => l.slice(3))).toEqual([...requiredSections("architecture_overview")]);
    expect(markdownHeadings(written.content)).not.toContain("Sources");
    const insight = steps[1]?.[1]?.input;
    expect(agentToolInputSchemas.record_insight.safeParse(insight).success).toBe(true);
    expect((insight as { body: string }).body).toContain("Platform standards › Tenancy, lines 3–9");
  });

  it("says so when nothing was found, and searches on its own when it has nothing to read", () => {
    const steps = drive(
      architectPrompt("system-architect", false),
      TOOLS,
      answer({ results: [], mode: "text" }),
    );
    expect(steps.map((s) => s.map((c) => c.toolName))).toEqual([
      ["search_knowledge"],
      ["write_artifact", "record_insight"],
      [],
    ]);
    const written = { content: contentOf(steps[1]?.[0]) };
    expect(written.content).toContain("### Sources\n\nThe knowledge base had nothing on this");
    // A failed search reads the same as an empty one.
    const failed = drive(architectPrompt(), TOOLS, answer({ error: "Search is unavailable." }));
    expect(contentOf(failed[1]?.[0])).toContain("The knowledge base had nothing");
  });

  it("leaves agents that do not design, and architects without the tool, as they were", () => {
    const without = TOOLS.filter((t) => t !== "search_knowledge");
    const steps = drive(architectPrompt(), without, answer(found));
    expect(steps.map((s) => s.map((c) => c.toolName))).toEqual([["read_artifact"], ["write_artifact"], []]);
    expect(contentOf(steps[1]?.[0])).not.toContain("### Sources");
    const writer = drive(architectPrompt("technical-spec-writer"), TOOLS, answer(found));
    expect(writer.flat().map((c) => c.toolName)).not.toContain("search_knowledge");
  });
});
