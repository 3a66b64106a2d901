import type { ModelMessage } from "ai";
import type { ArtifactKind } from "@/lib/agents/artifact-kinds";
import type { TaskPriority } from "./plan";
import type { TaskStatus } from "./schedule";

/**
 * The one place that assembles what a model call sees. Context is handed down in layers
 * (organization standards, project brief, run goal and plan, the task and the artifacts it depends
 * on); artifacts travel by reference and summary, and the agent reads the full text with its tools.
 * When the estimate exceeds the budget, the least important layers are shortened first.
 */

export const CONTEXT_PURPOSES = ["plan", "task", "review", "summary"] as const;
export type ContextPurpose = (typeof CONTEXT_PURPOSES)[number];

export type ArtifactRef = {
  id: string;
  title: string;
  kind: ArtifactKind;
  version: number;
  summary: string;
  /** Slug of the agent that wrote it. */
  author?: string;
  taskKey?: string;
};

/** A knowledge passage handed to an agent by reference (the agent searches for the full text). */
export type KnowledgeRef = {
  title: string;
  /** How to cite it, e.g. `Deployment guide › Rollback, lines 12–30`. */
  citation: string;
  documentId: string;
  /** upload | repository | insight | run_outcome */
  source: string;
  /** One line of the passage. */
  snippet: string;
};

export type ContextInput = {
  purpose: ContextPurpose;
  agent: { slug: string; name: string; systemPrompt: string };
  organization?: { name: string; standards?: string | null };
  project: { name: string; brief?: string | null };
  run: {
    goal: string;
    template: { slug: string; name: string; guidance?: string };
    plan?: {
      key: string;
      title: string;
      agent: string;
      status: TaskStatus;
      phase?: string;
      dependsOn?: readonly string[];
    }[];
  };
  /** The agents the orchestrator may assign (planning). */
  roster?: { slug: string; name: string; whenToUse: string }[];
  task?: {
    key: string;
    title: string;
    description: string;
    acceptanceCriteria: readonly string[];
    priority: TaskPriority;
    /** Slug of the agent assigned to the task (differs from `agent` when reviewing). */
    assignee?: string;
    expectedArtifactKind?: ArtifactKind;
    attempt?: number;
    /** The reviewer's reasons from the previous attempt, to address now. */
    reviewFeedback?: readonly string[];
    /** The artifact to revise on a rework attempt. */
    previousArtifact?: ArtifactRef;
    humanAnswers?: readonly { question: string; answer: string }[];
  };
  /** Artifacts the task depends on (or, for a summary, everything the run produced). */
  artifacts?: readonly ArtifactRef[];
  /** The artifact under review, in full. */
  subject?: ArtifactRef & { content: string };
  /**
   * The repository map (`renderRepoMap`), given by reference: the agent reads details with its
   * repository tools. Left out of run summaries.
   */
  repository?: string;
  /**
   * The project's most relevant insights, standards and past run outcomes for this call, by
   * reference (title, citation, document id, one line): the agent reads more with `search_knowledge`.
   */
  knowledge?: readonly KnowledgeRef[];
  /** Rough token budget for the whole prompt, system prompt included. */
  budgetTokens?: number;
};

export const LAYER_NAMES = [
  "organization",
  "project",
  "goal",
  "repository",
  "knowledge",
  "guidance",
  "plan",
  "roster",
  "task",
  "artifacts",
  "subject",
] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

export type LayerReport = { name: LayerName; tokens: number; fullTokens: number; shortened: boolean };

export type AssembledContext = {
  /** Pass as `instructions` to generateText/streamText. */
  instructions: string;
  messages: ModelMessage[];
  estimatedTokens: number;
  layers: LayerReport[];
};

export const DEFAULT_CONTEXT_BUDGET = 16_000;

/** About four characters per token for English prose and code; good enough for budgeting. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Least important first, per purpose: shortened in this order when over budget. */
const TRUNCATION_ORDER: Record<ContextPurpose, LayerName[]> = {
  plan: ["knowledge", "artifacts", "organization", "repository", "project", "roster", "guidance", "goal"],
  task: ["knowledge", "plan", "artifacts", "organization", "repository", "project", "goal"],
  review: ["knowledge", "plan", "artifacts", "organization", "repository", "project", "goal", "subject"],
  summary: ["knowledge", "organization", "project", "artifacts", "plan", "goal"],
};

type Layer = {
  name: LayerName;
  place: "instructions" | "message";
  text: string;
  /** The smallest useful form (e.g. references without summaries). */
  fallback: string;
  /** A form of about `tokens`, between the fallback and the full text; by default the text is cut at a line. */
  shrink?: (tokens: number) => string;
};

/** Shortens each item's detail evenly so every item stays listed (artifact summaries, agent descriptions). */
function shrinkItems<T>(
  heading: string,
  items: readonly T[],
  line: (item: T, detail: (text: string) => string) => string,
): (tokens: number) => string {
  return (tokens) => {
    const bare = `${heading}\n${items.map((item) => line(item, () => "")).join("\n")}`;
    // Each kept detail also costs its " — " separator and the "…" mark.
    const perItem = Math.max(0, Math.floor((tokens - estimateTokens(bare)) / Math.max(items.length, 1)) - 2);
    const cut = (text: string) => {
      const flat = fullText(text);
      return flat.length <= perItem * 4 ? flat : `${flat.slice(0, Math.max(0, perItem * 4 - 1)).trimEnd()}…`;
    };
    return `${heading}\n${items.map((item) => line(item, cut)).join("\n")}`;
  };
}

const READ_CONTEXT_HINT: Partial<Record<LayerName, string>> = {
  organization: "read it with `read_context` (layer: organization)",
  project: "read it with `read_project_brief`",
  goal: "read it with `read_context` (layer: run)",
  plan: "read it with `read_context` (layer: run)",
  guidance: "read it with `read_context` (layer: run)",
  subject: "read it in full with `read_artifact`",
  repository: "explore it with `list_files`, `read_file` and `search_code`",
  knowledge: "search it with `search_knowledge`",
};

function shortenedNote(layer: LayerName, shown: number, total: number) {
  const hint = READ_CONTEXT_HINT[layer];
  return `[Shortened to fit the context budget: about ${shown} of ${total} tokens shown${hint ? `; ${hint}` : ""}.]`;
}

/** Cut at a line boundary to roughly `tokens`, keeping the beginning. */
function cutToTokens(text: string, tokens: number): string {
  const limit = Math.max(0, tokens * 4);
  if (text.length <= limit) return text;
  const slice = text.slice(0, limit);
  const lastBreak = slice.lastIndexOf("\n");
  return (lastBreak > limit / 2 ? slice.slice(0, lastBreak) : slice).trimEnd();
}

const bullet = (items: readonly string[]) => items.map((i) => `- ${i}`).join("\n");

const fullText = (text: string) => text.trim().replace(/\s+/g, " ");

function artifactLine(a: ArtifactRef, summary: ((text: string) => string) | false): string {
  const by = [a.author && `by ${a.author}`, a.taskKey && `task ${a.taskKey}`].filter(Boolean).join(", ");
  const head = `- \`${a.id}\` · ${a.kind} v${a.version} · «${a.title}»${by ? ` (${by})` : ""}`;
  const text = summary ? summary(a.summary) : "";
  return text ? `${head} — ${text}` : head;
}

function knowledgeLine(k: KnowledgeRef, snippet: ((text: string) => string) | false): string {
  const head = `- «${k.title}» (${k.source.replace("_", " ")}, \`${k.documentId}\`): ${k.citation}`;
  const text = snippet ? snippet(k.snippet) : "";
  return text ? `${head} — ${text}` : head;
}

/** A passage's first words on one line, for a reference (never its full text). */
const SNIPPET_CHARS = 200;

function assignmentBlock(input: ContextInput): string {
  const { purpose, agent, run, task } = input;
  const lines = [
    "# Assignment",
    `- Purpose: ${purpose}`,
    `- Agent: ${agent.slug} (${agent.name})`,
    `- Run template: ${run.template.slug} (${run.template.name})`,
  ];
  if (task) {
    lines.push(`- Task: ${task.key} — ${task.title}`);
    lines.push(`- Priority: ${task.priority}`);
    if (task.assignee) lines.push(`- Assignee: ${task.assignee}`);
    if (task.expectedArtifactKind) lines.push(`- Expected artifact: ${task.expectedArtifactKind}`);
    lines.push(`- Attempt: ${task.attempt ?? 1}`);
  }
  return lines.join("\n");
}

const RETURN_INSTRUCTIONS: Record<ContextPurpose, string> = {
  plan: "Return the plan as structured output in the schema you are given: phases in the template's order, tasks assigned only to the available agents listed above, dependencies by task key, checkable acceptance criteria.",
  task: "Do your task now. Save your result with `write_artifact` (or `revise_artifact` when revising) if you have those tools; otherwise reply with the complete artifact only. Then finish with two or three sentences on what you produced.",
  review:
    "Review the artifact under review against each acceptance criterion of the task and the artifact's required sections. Return your verdict as structured output in the schema you are given.",
  summary:
    "Write the run summary: outcome against the goal, what was delivered (artifacts by title), decisions, open issues and risks (including failed or skipped tasks), next steps. Save it with `write_artifact` (kind `run_summary`) if you have that tool; otherwise reply with the Markdown only.",
};

function buildLayers(input: ContextInput): Layer[] {
  const layers: Layer[] = [];
  const { organization, project, run, roster, task, artifacts, subject, purpose } = input;

  if (organization?.standards?.trim()) {
    layers.push({
      name: "organization",
      place: "instructions",
      text: `## Organization standards (${organization.name})\nThese apply to all work in this organization and override your own preferences.\n\n${organization.standards.trim()}`,
      fallback: `## Organization standards (${organization.name})\n[Omitted to fit the context budget; ${READ_CONTEXT_HINT.organization}.]`,
    });
  }

  layers.push({
    name: "project",
    place: "message",
    text: `## Project: ${project.name}\n${project.brief?.trim() || "No project brief has been written yet."}`,
    fallback: `## Project: ${project.name}\n[Brief omitted to fit the context budget; ${READ_CONTEXT_HINT.project}.]`,
  });

  layers.push({
    name: "goal",
    place: "message",
    text: `## Run goal\n${run.goal.trim()}`,
    fallback: `## Run goal\n${cutToTokens(run.goal.trim(), 200)}`,
  });

  if (input.repository?.trim() && purpose !== "summary") {
    const heading = [
      "## Repository",
      "A map of the project's repository (not its content). Use `list_files`, `read_file` and `search_code` for details before you rely on them; never assume a file's content from its name.",
    ].join("\n");
    layers.push({
      name: "repository",
      place: "message",
      text: `${heading}\n\n${input.repository.trim()}`,
      fallback: `${heading}\n[Map omitted to fit the context budget; ${READ_CONTEXT_HINT.repository}.]`,
    });
  }

  if (input.knowledge?.length && purpose !== "summary") {
    const heading = [
      "## Knowledge that may apply",
      `References found in the knowledge base for this ${purpose === "plan" ? "goal" : "task"} (the organization's standards and references, the project's insights and past run outcomes), not their text: ${READ_CONTEXT_HINT.knowledge} for the passages, and cite what you rely on.`,
    ].join("\n");
    const items = input.knowledge;
    const oneLine = (text: string) => {
      const flat = fullText(text.replace(/[«»]/g, ""));
      return flat.length <= SNIPPET_CHARS ? flat : `${flat.slice(0, SNIPPET_CHARS - 1).trimEnd()}…`;
    };
    layers.push({
      name: "knowledge",
      place: "message",
      text: `${heading}\n${items.map((k) => knowledgeLine(k, oneLine)).join("\n")}`,
      fallback: `${heading}\n${items.map((k) => knowledgeLine(k, false)).join("\n")}`,
      shrink: shrinkItems(heading, items, (k, detail) => knowledgeLine(k, (t) => detail(oneLine(t)))),
    });
  }

  if (purpose === "plan" && run.template.guidance) {
    layers.push({
      name: "guidance",
      place: "message",
      text: `## Template guidance: ${run.template.name}\n${run.template.guidance.trim()}`,
      fallback: `## Template guidance: ${run.template.name}\n${cutToTokens(run.template.guidance.trim(), 300)}`,
    });
  }

  if (run.plan?.length) {
    const outline = run.plan.map((t) => {
      const deps = t.dependsOn?.length ? ` ← ${t.dependsOn.join(", ")}` : "";
      const phase = t.phase ? `[${t.phase}] ` : "";
      return `- ${phase}\`${t.key}\` ${t.title} — ${t.agent} — ${t.status}${deps}`;
    });
    layers.push({
      name: "plan",
      place: "message",
      text: `## Run plan\n${outline.join("\n")}`,
      fallback: `## Run plan\n[${run.plan.length} tasks; omitted to fit the context budget; ${READ_CONTEXT_HINT.plan}.]`,
    });
  }

  if (roster?.length) {
    const heading = "## Available agents";
    const line = (a: (typeof roster)[number], detail: (text: string) => string) => {
      const text = detail(a.whenToUse);
      return `- \`${a.slug}\` — ${a.name}${text ? `: ${text}` : ""}`;
    };
    layers.push({
      name: "roster",
      place: "message",
      text: `${heading}\n${roster.map((a) => line(a, fullText)).join("\n")}`,
      fallback: `${heading}\n${roster.map((a) => line(a, () => "")).join("\n")}`,
      shrink: shrinkItems(heading, roster, line),
    });
  }

  if (task) {
    const parts = [
      `## ${purpose === "review" ? "Task under review" : "Your task"}: ${task.title}`,
      `Key: \`${task.key}\` · priority ${task.priority}`,
      "",
      "### Description",
      task.description.trim(),
      "",
      "### Acceptance criteria",
      bullet(task.acceptanceCriteria),
    ];
    if (task.reviewFeedback?.length) {
      parts.push("", "### Review feedback to address", bullet(task.reviewFeedback));
    }
    if (task.previousArtifact) {
      parts.push(
        "",
        "### Previous version",
        `Revise this artifact rather than starting over:\n${artifactLine(task.previousArtifact, fullText)}`,
      );
    }
    if (task.humanAnswers?.length) {
      parts.push(
        "",
        "### Answers from the team",
        task.humanAnswers.map((h) => `- Q: ${h.question}\n  A: ${h.answer}`).join("\n"),
      );
    }
    const text = parts.join("\n");
    layers.push({ name: "task", place: "message", text, fallback: text });
  }

  if (artifacts?.length) {
    const heading = [
      purpose === "summary" ? "## Artifacts produced in this run" : "## Artifacts you depend on",
      "Read any of them in full with `read_artifact` before relying on details beyond the summary.",
    ].join("\n");
    layers.push({
      name: "artifacts",
      place: "message",
      text: `${heading}\n${artifacts.map((a) => artifactLine(a, fullText)).join("\n")}`,
      fallback: `${heading}\n${artifacts.map((a) => artifactLine(a, false)).join("\n")}`,
      shrink: shrinkItems(heading, artifacts, artifactLine),
    });
  }

  if (subject) {
    const open = `<artifact_under_review id="${subject.id}" kind="${subject.kind}" version="${subject.version}">`;
    const wrap = (content: string) =>
      `## Artifact under review: «${subject.title}»\n${open}\n${content}\n</artifact_under_review>`;
    // Shortening keeps the tags closed and says how to read the rest.
    const shortened = (tokens: number) => {
      const note = shortenedNote("subject", tokens, estimateTokens(subject.content));
      return wrap(`${cutToTokens(subject.content, tokens - estimateTokens(wrap(note)))}\n${note}`);
    };
    layers.push({
      name: "subject",
      place: "message",
      text: wrap(subject.content),
      fallback: shortened(1500),
      shrink: shortened,
    });
  }

  return layers;
}

/** Assembles instructions and the user message for one model call, within a rough token budget. */
export function assembleContext(input: ContextInput): AssembledContext {
  const budget = input.budgetTokens ?? DEFAULT_CONTEXT_BUDGET;
  const layers = buildLayers(input);
  const fixed = [
    input.agent.systemPrompt,
    assignmentBlock(input),
    `## What to return\n${RETURN_INSTRUCTIONS[input.purpose]}`,
  ];
  const fixedTokens = fixed.reduce((sum, t) => sum + estimateTokens(t), 0);

  const rendered = new Map(layers.map((l) => [l.name, l.text]));
  const total = () => fixedTokens + [...rendered.values()].reduce((sum, t) => sum + estimateTokens(t), 0);

  for (const name of TRUNCATION_ORDER[input.purpose]) {
    const excess = total() - budget;
    if (excess <= 0) break;
    const layer = layers.find((l) => l.name === name);
    if (!layer) continue;
    const current = estimateTokens(layer.text);
    const fallbackTokens = estimateTokens(layer.fallback);
    const target = current - excess;
    if (target <= fallbackTokens + 40) {
      rendered.set(name, layer.fallback);
    } else if (layer.shrink) {
      const shrunk = layer.shrink(target);
      rendered.set(name, estimateTokens(shrunk) <= target ? shrunk : layer.fallback);
    } else {
      const note = shortenedNote(name, target, current);
      const cut = cutToTokens(layer.text, target - estimateTokens(note));
      rendered.set(name, `${cut}\n${note}`);
    }
  }

  const textOf = (place: Layer["place"]) =>
    layers.filter((l) => l.place === place).map((l) => rendered.get(l.name) ?? l.text);

  const instructions = [input.agent.systemPrompt, ...textOf("instructions")].join("\n\n");
  const user = [fixed[1], ...textOf("message"), fixed[2]].join("\n\n");

  return {
    instructions,
    messages: [{ role: "user", content: user }],
    estimatedTokens: estimateTokens(instructions) + estimateTokens(user),
    layers: layers.map((l) => {
      const text = rendered.get(l.name) ?? l.text;
      return {
        name: l.name,
        tokens: estimateTokens(text),
        fullTokens: estimateTokens(l.text),
        shortened: text !== l.text,
      };
    }),
  };
}

/** What the scripted demo model reads back from an assembled prompt. */
export type ParsedAssignment = {
  purpose: ContextPurpose;
  agent: string;
  template: string;
  taskKey?: string;
  taskTitle?: string;
  assignee?: string;
  expectedArtifactKind?: string;
  attempt: number;
  goal: string;
  projectName?: string;
  acceptanceCriteria: string[];
  reviewFeedback: string[];
  previousArtifactId?: string;
  artifactIds: string[];
  artifactTitles: string[];
  rosterSlugs: string[];
  planLines: string[];
  subject?: { id: string; kind: string; content: string };
};

function section(text: string, heading: RegExp): string | undefined {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) return undefined;
  const level = /^(#+)/.exec(lines[start] ?? "")?.[1]?.length ?? 2;
  const end = lines.findIndex(
    (l, i) => i > start && /^(#+)\s/.test(l) && (/^(#+)/.exec(l)?.[1]?.length ?? 9) <= level,
  );
  return lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
}

const bullets = (block: string | undefined) =>
  (block ?? "")
    .split("\n")
    .filter((l) => l.startsWith("- "))
    .map((l) => l.slice(2).trim());

/** Reads the assignment back from a prompt built by `assembleContext`; undefined for other prompts. */
export function parseAssignment(prompt: string): ParsedAssignment | undefined {
  const field = (name: string) => new RegExp(`^- ${name}: (.+)$`, "m").exec(prompt)?.[1]?.trim();
  const purpose = field("Purpose");
  if (!purpose || !(CONTEXT_PURPOSES as readonly string[]).includes(purpose)) return undefined;
  const subjectMatch =
    /<artifact_under_review id="([^"]*)" kind="([^"]*)" version="[^"]*">\n([\s\S]*?)\n<\/artifact_under_review>/.exec(
      prompt,
    );
  const task = field("Task");
  const artifactLines = bullets(section(prompt, /^## Artifacts (you depend on|produced in this run)/));
  const previous = section(prompt, /^### Previous version/);
  return {
    purpose: purpose as ContextPurpose,
    agent: field("Agent")?.split(" ")[0] ?? "",
    template: field("Run template")?.split(" ")[0] ?? "",
    taskKey: task?.split(" — ")[0],
    taskTitle: task?.split(" — ").slice(1).join(" — ") || undefined,
    assignee: field("Assignee"),
    expectedArtifactKind: field("Expected artifact"),
    attempt: Number(field("Attempt") ?? 1) || 1,
    goal: (section(prompt, /^## Run goal/) ?? "").trim(),
    projectName: /^## Project: (.+)$/m.exec(prompt)?.[1]?.trim(),
    acceptanceCriteria: bullets(section(prompt, /^### Acceptance criteria/)),
    reviewFeedback: bullets(section(prompt, /^### Review feedback to address/)),
    previousArtifactId: previous ? /`([^`]+)`/.exec(previous)?.[1] : undefined,
    artifactIds: artifactLines.map((l) => /^`([^`]+)`/.exec(l)?.[1]).filter((id): id is string => !!id),
    artifactTitles: artifactLines.map((l) => /«([^»]*)»/.exec(l)?.[1]).filter((t): t is string => !!t),
    rosterSlugs: bullets(section(prompt, /^## Available agents/))
      .map((l) => /^`([^`]+)`/.exec(l)?.[1])
      .filter((s): s is string => !!s),
    planLines: bullets(section(prompt, /^## Run plan/)),
    subject: subjectMatch
      ? { id: subjectMatch[1] ?? "", kind: subjectMatch[2] ?? "", content: subjectMatch[3] ?? "" }
      : undefined,
  };
}
