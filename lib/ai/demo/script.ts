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
import { type CodeWork, codeWork, SCRIPTED_FAILURE_TASKS, scriptedBug } from "./code";
import { DEMO_NOTICE, type DocContext, subjectOf, writeDocument } from "./documents";
import {
  designInsight,
  foundKnowledge,
  knowledgeQuery,
  seeksKnowledge,
  sourcesSection,
} from "./knowledge-steps";
import { type OfferedTool, withMcpCalls } from "./mcp-steps";
import { createRng, hashString, type Rng } from "./random";
import { changedPaths, checksNote, codeStep, offersRepoTools, type ToolOutput } from "./repo-steps";

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
  /** The offered tools' input schemas, for tools the script does not know (MCP tools). */
  toolSchemas?: readonly OfferedTool[];
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

/** A check's line in a subject's "## Checks" section: kind, backticked command, status first after the colon. */
const CHECK_LINE = /^[-*\s]*\**([a-z]+)\**\s+`[^`]+`\s*:\s*\**(passed|failed|error|skipped)\b/i;

/**
 * The check results the run appends to a code subject, as its last `## Checks` section (to the
 * end: the output it quotes may hold lines like TAP's `# todo 0`): the check lines, the failing
 * ones apart, and the content before it.
 */
export function checksSection(content: string): { body: string; lines: string[]; failed: string[] } | null {
  const last = [...content.matchAll(/^## Checks[ \t]*$/gm)].at(-1);
  if (last?.index === undefined) return null;
  const lines = content
    .slice(last.index + last[0].length)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => CHECK_LINE.test(l))
    .map((l) => l.replace(/^[-*]\s*/, ""));
  return {
    body: content.slice(0, last.index).trimEnd(),
    lines,
    failed: lines.filter((l) => /^(failed|error)$/i.test(CHECK_LINE.exec(l)?.[2] ?? "")),
  };
}

/**
 * The reviewer gate: fails a subject whose "## Checks" section shows a failing check, checks a
 * document's required sections and placeholders, and fails a document's first attempt at
 * `failureRate` (never code's: its one scripted failure is a real failing test).
 */
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
  const checks = checksSection(subject.content);
  const content = checks ? checks.body : subject.content;
  const markdown = artifactKindSpec(kind).format === "markdown";
  const missing = markdown ? missingSections(kind, content) : [];
  const placeholder = markdown && /\b(TBD|TODO|lorem ipsum)\b/i.test(content);
  // Random scripted failures exercise the rework loop on documents only: code is judged by its
  // checks (the one scripted failing attempt of a run is a real failing test, see code.ts).
  const scriptedFailure = markdown && failureRate > 0 && a.attempt <= 1 && rng.next() < failureRate;
  const failedChecks = checks?.failed ?? [];

  const reasons = [
    ...failedChecks.map(
      (line) => `A check fails on this commit: ${line}. Fix the cause and run the checks again.`,
    ),
    ...missing.map(
      (s) =>
        `Add the "${s}" section (\`## ${s}\`); a ${artifactKindSpec(kind).label.toLowerCase()} requires it.`,
    ),
    ...(placeholder ? ["Replace the placeholders (TBD, TODO, lorem ipsum) with real content."] : []),
    ...(scriptedFailure
      ? [`Make "${criteria[0]}" verifiable: point to where it is met and add concrete numbers or examples.`]
      : []),
  ];
  const blocked = missing.length > 0 || placeholder || failedChecks.length > 0;
  const passedChecks =
    checks && !failedChecks.length && checks.lines.length ? ` Checks: ${checks.lines.join("; ")}.` : "";
  return normalizeVerdict({
    verdict: reasons.length ? "fail" : "pass",
    summary: reasons.length
      ? `${DEMO_NOTICE}. The ${artifactKindSpec(kind).label.toLowerCase()} needs changes before work can build on it.`
      : `${DEMO_NOTICE}. The ${artifactKindSpec(kind).label.toLowerCase()} meets every acceptance criterion.${passedChecks}`,
    criteria: criteria.map((criterion, i) => {
      const met = !blocked && !(scriptedFailure && i === 0);
      return {
        criterion,
        met,
        evidence: met
          ? evidenceFor(criterion, kind)
          : failedChecks.length
            ? `The checks fail: ${failedChecks.join("; ")}.`
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
  /** For code: every file the agent writes, and whether this is the scripted buggy attempt. */
  work?: CodeWork;
  buggy?: boolean;
};

/**
 * Whether this call is the run's one scripted failing attempt: the first attempt of the
 * template's first code task that writes tests (SCRIPTED_FAILURE_TASKS), and only when the
 * repository and execution tools are offered, so the gate can run the checks and send it back.
 */
export function carriesScriptedFailure(
  a: Pick<ParsedAssignment, "purpose" | "template" | "taskKey" | "attempt">,
  toolNames: readonly string[],
): boolean {
  return (
    a.purpose === "task" &&
    a.attempt === 1 &&
    !!a.taskKey &&
    SCRIPTED_FAILURE_TASKS[a.template] === a.taskKey &&
    offersRepoTools(toolNames) &&
    toolNames.includes("run_checks")
  );
}

function deliverable(a: ParsedAssignment, rng: Rng, toolNames: readonly string[]): Deliverable {
  const kind = expectedKind(a);
  const ctx = docContext(a, rng);
  if (kind === "code" || kind === "test_code") {
    const wantBug = kind === "code" && carriesScriptedFailure(a, toolNames);
    const work = codeWork(a.assignee ?? a.agent, kind, ctx.subject, { buggy: wantBug });
    const file = work.main;
    return {
      kind,
      title: file.title,
      content: file.content,
      summary: file.summary,
      path: file.path,
      language: file.language,
      work,
      buggy: wantBug && file.content.includes(scriptedBug(ctx.subject).oldText),
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

function narrative(a: ParsedAssignment, d: Deliverable, rng: Rng, input: ScriptInput): string {
  const checks = d.work ? checksNote(input.toolNames, input.toolOutputs ?? []) : null;
  const note = checks ? ` ${checks}` : "";
  if (a.reviewFeedback.length) {
    return `Revising «${d.title}» to address the feedback: ${a.reviewFeedback.join(" ")}${note}`;
  }
  if (d.work && offersRepoTools(input.toolNames)) {
    const files = d.work.files.map((f) => f.path).join(", ");
    // The scripted buggy attempt finishes as if done: the gate's checks find what it missed.
    if (d.buggy)
      return `Done: "${a.taskTitle ?? d.title}" is implemented — wrote ${files}. Saving ${d.path}.`;
    return `Wrote ${files}.${note} Saving ${d.path} as the task's artifact.`;
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
  const outputs = input.toolOutputs ?? [];
  const wrote = input.toolResults.some((t) => t === "write_artifact" || t === "revise_artifact");
  const changed = changedPaths(outputs);
  const filesNote = changed.length ? ` Changed in the repository: ${changed.join(", ")}.` : "";
  if (wrote) {
    const ranChecks = input.toolResults.includes("run_checks");
    const checks =
      ranChecks || (!has("run_checks") && changed.length) ? checksNote(input.toolNames, outputs) : null;
    return [
      {
        type: "text",
        text: `Saved the result of "${a.taskTitle ?? a.purpose}".${filesNote}${checks ? ` ${checks}` : ""} The reviewer can check each acceptance criterion against the matching section. (${DEMO_NOTICE}.)`,
      },
    ];
  }
  // A code rework starts from the failure, not from the inputs it read the first time.
  const codeRework =
    a.attempt >= 2 && a.reviewFeedback.length > 0 && artifactKindSpec(expectedKind(a)).format === "code";
  // The architect looks up the standards and references first (with its reads, in one call).
  const search: ScriptPart[] =
    a.purpose === "task" &&
    has("search_knowledge") &&
    seeksKnowledge(a.agent, expectedKind(a)) &&
    !input.toolResults.includes("search_knowledge")
      ? [{ type: "tool-call", toolName: "search_knowledge", input: knowledgeQuery(a.goal, a.taskTitle) }]
      : [];
  const lookUp = search.length ? " and look up the organization's standards that apply" : "";
  if (
    a.purpose === "task" &&
    !codeRework &&
    has("read_artifact") &&
    a.artifactIds.length &&
    !input.toolResults.includes("read_artifact")
  ) {
    const ids = a.artifactIds.slice(0, 2);
    const titles = a.artifactTitles.slice(0, 2).map((t) => `«${t}»`);
    return [
      {
        type: "text",
        text: `Starting on "${a.taskTitle ?? "the task"}". First I will read what it builds on: ${titles.join(" and ") || ids.join(", ")}${lookUp}.`,
      },
      ...ids.map(
        (artifactId): ScriptPart => ({ type: "tool-call", toolName: "read_artifact", input: { artifactId } }),
      ),
      ...search,
    ];
  }
  if (search.length) {
    return [
      {
        type: "text",
        text: `Starting on "${a.taskTitle ?? "the task"}". First I will look up the organization's standards and the project's references that apply.`,
      },
      ...search,
    ];
  }
  const found = seeksKnowledge(a.agent, expectedKind(a)) ? foundKnowledge(outputs) : null;
  const drafted = deliverable(a, rng, input.toolNames);
  const d =
    found && artifactKindSpec(drafted.kind).format === "markdown"
      ? { ...drafted, content: `${drafted.content.trimEnd()}\n\n${sourcesSection(found)}\n` }
      : drafted;
  if (a.purpose === "task" && d.work) {
    const bug = scriptedBug(subjectOf(a.goal || "the project"));
    const step = codeStep(
      {
        taskTitle: a.taskTitle ?? "the task",
        work: d.work,
        projectName: a.projectName ?? "demo-project",
        rework: codeRework,
        skipChecks: !!d.buggy,
        bug: d.work.files.some((f) => f.path === bug.path) ? bug : undefined,
      },
      input.toolNames,
      input.toolResults,
      outputs,
    );
    if (step) return step;
  }
  const text = narrative(a, d, rng, input);
  const summary =
    filesNote && d.summary.length + filesNote.length <= 1200 ? `${d.summary}${filesNote}` : d.summary;
  if (a.reviewFeedback.length && a.previousArtifactId && has("revise_artifact")) {
    const input: AgentToolInput<"revise_artifact"> = {
      artifactId: a.previousArtifactId,
      content: d.content,
      summary,
      changeNote: `Addresses the feedback: ${a.reviewFeedback.join(" ")}`.slice(0, 600),
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
    // What the architect decided goes to the project's knowledge, for the runs after this one.
    const insight: ScriptPart[] =
      found && has("record_insight")
        ? [{ type: "tool-call", toolName: "record_insight", input: designInsight(d.title, found) }]
        : [];
    return [{ type: "text", text }, { type: "tool-call", toolName: "write_artifact", input }, ...insight];
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
      return withMcpCalls(
        taskScript(a, input, rng),
        input.toolSchemas ?? [],
        input.toolResults,
        a.taskTitle ?? a.goal,
      );
  }
}
