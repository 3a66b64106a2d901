import { describe, expect, it } from "vitest";
import {
  ARCHITECTURE_OVERVIEW_SECTIONS,
  ARTIFACT_KINDS,
  artifactKindSpec,
  markdownHeadings,
  missingSections,
  requiredSections,
} from "./artifact-kinds";
import { agentToolInputSchemas } from "./tools";
import { normalizeVerdict } from "./verdict";

describe("artifact kinds", () => {
  it("gives every Markdown kind its sections and no other kind any", () => {
    for (const kind of ARTIFACT_KINDS) {
      const markdown = artifactKindSpec(kind).format === "markdown";
      expect(requiredSections(kind).length > 0, kind).toBe(markdown);
    }
    expect(requiredSections("architecture_overview")).toEqual(ARCHITECTURE_OVERVIEW_SECTIONS);
    expect(ARCHITECTURE_OVERVIEW_SECTIONS).toHaveLength(15);
  });

  it("reads level-2 headings outside code fences", () => {
    const doc = "# Title\n## One\ntext\n```md\n## Not a heading\n```\n## Two ##\n### Sub";
    expect(markdownHeadings(doc)).toEqual(["One", "Two"]);
  });

  it("reports missing sections, ignoring numbering and case", () => {
    const doc = "# ADR\n## 1. context\n## Decision\n## Options Considered\n";
    expect(missingSections("adr", doc)).toEqual(["Consequences", "Status"]);
    expect(missingSections("code", "anything")).toEqual([]);
  });
});

describe("tool input schemas", () => {
  it("accepts a valid artifact and rejects one without a summary", () => {
    const ok = agentToolInputSchemas.write_artifact.safeParse({
      kind: "prd",
      title: "PRD: feedback portal",
      content: "# PRD",
      summary: "A PRD for the feedback portal with five user stories.",
    });
    expect(ok.success).toBe(true);
    const bad = agentToolInputSchemas.write_artifact.safeParse({ kind: "poem", title: "x", content: "" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0])).toEqual(
      expect.arrayContaining(["kind", "title", "content", "summary"]),
    );
  });

  it("requires acceptance criteria on subtasks", () => {
    const result = agentToolInputSchemas.add_subtask.safeParse({
      title: "Fix the migration",
      description: "The migration drops a column that is still read.",
      agent: "backend-engineer",
      priority: "high",
      acceptanceCriteria: [],
    });
    expect(result.success).toBe(false);
  });
});

describe("normalizeVerdict", () => {
  const criterion = (met: boolean) => ({
    criterion: "Has all sections",
    met,
    evidence: met ? "yes" : "Risks missing",
  });

  it("turns a pass with an unmet criterion into a fail with reasons", () => {
    const v = normalizeVerdict({ verdict: "pass", summary: "ok", criteria: [criterion(false)], reasons: [] });
    expect(v.verdict).toBe("fail");
    expect(v.reasons).toEqual(["Not met: Has all sections — Risks missing"]);
  });

  it("keeps a clean pass and clears stray reasons", () => {
    const v = normalizeVerdict({
      verdict: "pass",
      summary: "ok",
      criteria: [criterion(true)],
      reasons: ["nit"],
    });
    expect(v).toMatchObject({ verdict: "pass", reasons: [] });
  });

  it("never returns a fail without a reason", () => {
    const v = normalizeVerdict({
      verdict: "fail",
      summary: "no",
      criteria: [criterion(true)],
      reasons: [" "],
    });
    expect(v.verdict).toBe("fail");
    expect(v.reasons).toHaveLength(1);
  });
});
