import {
  ARTIFACT_KINDS,
  type ArtifactKind,
  artifactKindSpec,
  missingSections,
  requiredSections,
} from "@/lib/agents/artifact-kinds";
import { getBuiltinAgent } from "@/lib/agents/catalog";
import type { AgentToolInput } from "@/lib/agents/tools";
import { normalizeVerdict, type ReviewVerdict } from "@/lib/agents/verdict";
import { type ParsedAssignment, parseAssignment } from "@/lib/runs/context";
import type { Plan } from "@/lib/runs/plan";
import { getRunTemplate } from "@/lib/runs/templates";
import { writeCodeFile } from "./code";
import { DEMO_NOTICE, type DocContext, subjectOf, writeDocument } from "./documents";
import { createRng, hashString, type Rng } from "./random";
import { changedPaths, repoStep, type ToolOutput } from "./repo-steps";

/** What the demo model produces for one call: text blocks and tool calls, in order. */
export type ScriptPart =
  | { type: "text"; text: string }
  | { type: "tool-call"; toolName: string; input: Record<string, unknown> };

export type ScriptInput = {
  /** Text of the user messages (where the assignment is). */
  userText: string;
  /** Names of the function tools offered to the model. */
  toolNames: readonly string[];
  /** Names of the tools whose results are already in the conversation. */
  toolResults: readonly string[];
  /** The answers of those tools, in order (what the repository tools said). */
  toolOutputs?: readonly ToolOutput[];
  /** Whether the caller asked for JSON (structured output). */
  json: boolean;
  callSeed?: number;
};

export type ScriptConfig = { seed: number; reviewFailureRate: number };

const isArtifactKind = (value: string | undefined): value is ArtifactKind =>
  !!value && (ARTIFACT_KINDS as readonly string[]).includes(value);

function expectedKind(a: ParsedAssignment): ArtifactKind {
  if (a.purpose === "summary") return "run_summary";
  if (isArtifactKind(a.expectedArtifactKind)) return a.expectedArtifactKind;
  const builtin = getBuiltinAgent(a.agent)?.artifactKinds[0];
  return builtin ?? "documentation";
}

/** The template's reference plan for the goal, with agents outside the roster swapped for the closest available one. */
export function scriptedPlan(a: Pick<ParsedAssignment, "template" | "goal" | "rosterSlugs">): Plan {
  const template = getRunTemplate(a.template) ?? getRunTemplate("full-delivery");
  if (!template) throw new Error("The full-delivery template is missing.");
  const roster = a.rosterSlugs;
  const substitute = (slug: string) => {
    if (roster.length === 0 || roster.includes(slug)) return slug;
    const category = getBuiltinAgent(slug)?.category;
    return roster.find((r) => category && getBuiltinAgent(r)?.category === category) ?? (roster[0] as string);
  };
  const goal = a.goal.trim() || "the run's goal";
  return {
    summary: `${template.referencePlan.summary} Goal: ${goal}`,
    phases: template.referencePlan.phases.map((phase) => ({
      ...phase,
      tasks: phase.tasks.map((task) => ({
        ...task,
        agent: substitute(task.agent),
        description: `${task.description} Goal: ${goal}`,
        dependsOn: [...task.dependsOn],
        acceptanceCriteria: [...task.acceptanceCriteria],
      })),
    })),
  };
}

function evidenceFor(criterion: string, kind: ArtifactKind): string {
  const sectionCount = requiredSections(kind).length;
  if (sectionCount && /\bsections?\b/i.test(criterion)) {
    return `All ${sectionCount} required sections are present, in order, each with specific content.`;
  }
  const words = new Set(criterion.toLowerCase().match(/[a-z]{4,}/g) ?? []);
  const section = requiredSections(kind).find((s) =>
    s
      .toLowerCase()
      .match(/[a-z]{4,}/g)
      ?.some((w) => words.has(w)),
  );
  if (section) return `Met in "## ${section}".`;
  if (artifactKindSpec(kind).format === "code") return "Met by the submitted file.";
  return `Met across the document's ${sectionCount} sections.`;
}

/** The reviewer gate: checks the required sections and placeholders; fails a first attempt at `failureRate`. */
export function scriptedVerdict(a: ParsedAssignment, rng: Rng, failureRate: number): ReviewVerdict {
  const criteria = a.acceptanceCriteria.length
    ? a.acceptanceCriteria
    : ["The artifact follows the output contract of its kind"];
  const subject = a.subject;
  if (!subject?.content.trim()) {
    return normalizeVerdict({
      verdict: "fail",
      summary: "No artifact was submitted for this task.",
      criteria: criteria.map((criterion) => ({
        criterion,
        met: false,
        evidence: "There is nothing to check.",
      })),
      reasons: ["Write the task's artifact with write_artifact; nothing was submitted."],
    });
  }
  const kind: ArtifactKind = isArtifactKind(subject.kind) ? subject.kind : "documentation";
  const markdown = artifactKindSpec(kind).format === "markdown";
  const missing = markdown ? missingSections(kind, subject.content) : [];
  const placeholder = markdown && /\b(TBD|TODO|lorem ipsum)\b/i.test(subject.content);
  const scriptedFailure = failureRate > 0 && a.attempt <= 1 && rng.next() < failureRate;

  const reasons = [
    ...missing.map(
      (s) =>
        `Add the "${s}" section (\`## ${s}\`); a ${artifactKindSpec(kind).label.toLowerCase()} requires it.`,
    ),
    ...(placeholder ? ["Replace the placeholders (TBD, TODO, lorem ipsum) with real content."] : []),
    ...(scriptedFailure
      ? [`Make "${criteria[0]}" verifiable: point to where it is met and add concrete numbers or examples.`]
      : []),
  ];
  const blocked = missing.length > 0 || placeholder;
  return normalizeVerdict({
    verdict: reasons.length ? "fail" : "pass",
    summary: reasons.length
      ? `${DEMO_NOTICE}. The ${artifactKindSpec(kind).label.toLowerCase()} needs changes before work can build on it.`
      : `${DEMO_NOTICE}. The ${artifactKindSpec(kind).label.toLowerCase()} meets every acceptance criterion.`,
    criteria: criteria.map((criterion, i) => {
      const met = !blocked && !(scriptedFailure && i === 0);
      return {
        criterion,
        met,
        evidence: met
          ? evidenceFor(criterion, kind)
          : missing.length
            ? `Missing sections: ${missing.join(", ")}.`
            : placeholder
              ? "The document contains placeholders."
              : "Stated, but not verifiable as written.",
      };
    }),
    reasons,
  });
}

function docContext(a: ParsedAssignment, rng: Rng): DocContext {
  return {
    goal: a.goal || "the run's goal",
    subject: subjectOf(a.goal || "the project"),
    project: a.projectName ?? "the project",
    rng,
    inputs: a.artifactTitles,
    criteria: a.acceptanceCriteria,
    feedback: a.reviewFeedback,
    planLines: a.planLines,
  };
}

type Deliverable = {
  kind: ArtifactKind;
  title: string;
  content: string;
  summary: string;
  path?: string;
  language?: string;
};

function deliverable(a: ParsedAssignment, rng: Rng): Deliverable {
  const kind = expectedKind(a);
  const ctx = docContext(a, rng);
  if (kind === "code" || kind === "test_code") {
    const file = writeCodeFile(a.assignee ?? a.agent, kind, ctx.subject);
    return {
      kind,
      title: file.title,
      content: file.content,
      summary: file.summary,
      path: file.path,
      language: file.language,
    };
  }
  const label = artifactKindSpec(kind).label;
  const sections = requiredSections(kind);
  return {
    kind,
    title: `${label}: ${ctx.subject}`,
    content: writeDocument(kind, ctx),
    summary: `${label} for ${ctx.subject}, with ${sections.length} sections: ${sections.join(", ")}. ${DEMO_NOTICE}.`,
  };
}

function narrative(a: ParsedAssignment, d: Deliverable, rng: Rng): string {
  if (a.reviewFeedback.length) {
    return `Revising «${d.title}» to address the review: ${a.reviewFeedback.join(" ")}`;
  }
  if (d.path) {
    return rng.pick([
      `Writing ${d.path}. It follows the specification and the existing conventions, validates its input and keeps every query inside the caller's organization.`,
      `Implementing the task as ${d.path}: validation first, then the operation, with errors a caller can act on.`,
    ]);
  }
  const sections = requiredSections(d.kind);
  return rng.pick([
    `Drafting the ${artifactKindSpec(d.kind).label.toLowerCase()}. It will cover ${sections.length} sections — ${sections.join(", ")} — and I will check each acceptance criterion against them before saving.`,
    `Working on "${a.taskTitle ?? d.title}". The document follows its contract: ${sections.join(", ")}.`,
  ]);
}

function taskScript(a: ParsedAssignment, input: ScriptInput, rng: Rng): ScriptPart[] {
  const has = (tool: string) => input.toolNames.includes(tool);
  const wrote = input.toolResults.some((t) => t === "write_artifact" || t === "revise_artifact");
  const changed = changedPaths(input.toolOutputs ?? []);
  const filesNote = changed.length ? ` Changed in the repository: ${changed.join(", ")}.` : "";
  if (wrote) {
    return [
      {
        type: "text",
        text: `Saved the result of "${a.taskTitle ?? a.purpose}".${filesNote} The reviewer can check each acceptance criterion against the matching section. (${DEMO_NOTICE}.)`,
      },
    ];
  }
  if (
    a.purpose === "task" &&
    has("read_artifact") &&
    a.artifactIds.length &&
    !input.toolResults.includes("read_artifact")
  ) {
    const ids = a.artifactIds.slice(0, 2);
    const titles = a.artifactTitles.slice(0, 2).map((t) => `«${t}»`);
    return [
      {
        type: "text",
        text: `Starting on "${a.taskTitle ?? "the task"}". First I will read what it builds on: ${titles.join(" and ") || ids.join(", ")}.`,
      },
      ...ids.map(
        (artifactId): ScriptPart => ({ type: "tool-call", toolName: "read_artifact", input: { artifactId } }),
      ),
    ];
  }
  const d = deliverable(a, rng);
  if (a.purpose === "task") {
    const step = repoStep(
      d,
      a.taskTitle ?? "the task",
      input.toolNames,
      input.toolResults,
      input.toolOutputs ?? [],
    );
    if (step) return step;
  }
  const text = narrative(a, d, rng);
  const summary =
    filesNote && d.summary.length + filesNote.length <= 1200 ? `${d.summary}${filesNote}` : d.summary;
  if (a.reviewFeedback.length && a.previousArtifactId && has("revise_artifact")) {
    const input: AgentToolInput<"revise_artifact"> = {
      artifactId: a.previousArtifactId,
      content: d.content,
      summary,
      changeNote: `Addresses the review: ${a.reviewFeedback.join(" ")}`.slice(0, 600),
    };
    return [
      { type: "text", text },
      { type: "tool-call", toolName: "revise_artifact", input },
    ];
  }
  if (has("write_artifact")) {
    const input: AgentToolInput<"write_artifact"> = {
      kind: d.kind,
      title: d.title,
      content: d.content,
      summary,
      ...(d.path ? { path: d.path, language: d.language } : {}),
    };
    return [
      { type: "text", text },
      { type: "tool-call", toolName: "write_artifact", input },
    ];
  }
  return [{ type: "text", text: d.content }];
}

/** Decides the whole response of one call from the prompt, deterministically. */
export function scriptFor(input: ScriptInput, config: ScriptConfig): ScriptPart[] {
  const a = parseAssignment(input.userText);
  if (!a) {
    return [
      {
        type: "text",
        text: input.json
          ? "{}"
          : `${DEMO_NOTICE}. This model follows DafnckMachine's agent prompts only; this prompt has no assignment, so there is no scripted answer.`,
      },
    ];
  }
  const rng = createRng(
    hashString(
      [
        config.seed,
        input.callSeed ?? "",
        a.purpose,
        a.template,
        a.agent,
        a.taskKey ?? "",
        a.attempt,
        a.goal,
      ].join("|"),
    ),
  );
  switch (a.purpose) {
    case "plan":
      return [{ type: "text", text: JSON.stringify(scriptedPlan(a)) }];
    case "review":
      return [{ type: "text", text: JSON.stringify(scriptedVerdict(a, rng, config.reviewFailureRate)) }];
    default:
      return taskScript(a, input, rng);
  }
}
