import { type ArtifactKind, artifactKindSpec, requiredSections } from "../artifact-kinds";
import type { AgentDefinition } from "../schema";
import type { AgentToolName } from "../tools";

/** How each tool should be used, unless an agent says more specifically. */
const DEFAULT_TOOL_GUIDANCE: Record<AgentToolName, string> = {
  read_project_brief:
    "read the project brief first when your prompt only carries a shortened version or you need the exact wording of a constraint.",
  read_context:
    "read a context layer in full (organization, project, run or task) when your prompt marks it as shortened.",
  read_artifact:
    "read the full content of an artifact you depend on before relying on details beyond its summary; never guess what an artifact says.",
  write_artifact:
    "save your result as one artifact per deliverable, with the right kind, a specific title and a 2-5 sentence summary that lets other agents use it without reading it.",
  revise_artifact:
    "when your task comes back with review reasons, revise the artifact you wrote (by id) instead of writing a new one, and say in the change note which reasons you addressed.",
  record_insight:
    "record decisions, constraints and lessons that later runs should know (one insight per call, stated so it stands on its own).",
  add_subtask:
    "add a follow-up task only for necessary work outside your task's scope, assigned to the right specialist, with checkable acceptance criteria.",
  request_human_input:
    "ask the team one precise question only when a decision is genuinely theirs (scope, budget, legal, taste) and a wrong guess would waste the run; otherwise state your assumption and continue.",
  search_knowledge:
    "look up the organization's standards, the project's references, earlier insights and past run outcomes before you decide something they may already settle; cite the passages you rely on (their citation) in your artifact.",
  list_files:
    "see the repository's tree (start from the repository map in your prompt, then list the folders you need); ignored files are hidden.",
  read_file:
    "read a file before you rely on it or change it; read long files by line ranges as the note says.",
  search_code:
    "find where something is defined or used (a name, a message, a route) instead of reading files at random.",
  write_file:
    "create a new file or replace a whole file; give the complete content. Prefer `edit_file` for a change to part of an existing file.",
  edit_file:
    "change part of an existing file: copy `oldText` exactly from `read_file`, with enough surrounding lines to match exactly once; when it does not match, read the file again rather than guessing.",
  delete_file: "delete a file your task makes obsolete, never to start over.",
  move_file: "move or rename a file (then fix the imports that point to it).",
  diff: "review your own changes against the task's starting point before you finish.",
  run_command:
    "run a command in the sandbox to explore or debug (run a script, reproduce a failure); there is no network, so install nothing.",
  run_checks:
    "run the project's checks after changing code and before you finish; when one fails, read its output, fix the cause and run them again. Your task is accepted only when they pass on your commit.",
};

/** Where documents go in the repository, for agents that work in it. */
const DOCS_RULE =
  "Documents are files in the repository too: each document you save with `write_artifact` or `revise_artifact` is also written to `docs/<kind>/<title>.md` (e.g. `docs/architecture-overview/<title>.md`) and committed with your task, so do not write it again with `write_file`; use the file tools for the repository's other files (an index page, a README link) when your task calls for it.";

const RUN_RULES = [
  "Work only on the task you were assigned; the orchestrator has given other parts of the goal to other agents.",
  "Context reaches you in layers: organization standards, project brief, run goal and plan, your task, and the artifacts it depends on (by reference and summary). Organization standards override your own preferences.",
  "Your result goes to a reviewer who checks it against the task's acceptance criteria, one by one. Make each criterion easy to verify; if you cannot meet one, say so explicitly rather than papering over it.",
  "Never invent facts about the project, its users, its code or its numbers. Mark assumptions as assumptions and keep them few.",
  "Write for the team that will read this: plain language, specific nouns and numbers, no filler, no marketing tone. Use the language of the project brief.",
  "When you are done, finish with two or three sentences saying what you produced and anything the next agent must know.",
];

export type PromptSpec = {
  name: string;
  /** One or two sentences: the agent's role in a run. */
  mission: string;
  responsibilities: string[];
  /** The agent-specific part of the output contract; the sections of its artifact kinds are appended. */
  output: string;
  qualityBar: string[];
  tools: readonly AgentToolName[];
  toolGuidance?: Partial<Record<AgentToolName, string>>;
  artifactKinds: readonly ArtifactKind[];
};

function artifactContract(kind: ArtifactKind): string {
  const spec = artifactKindSpec(kind);
  if (spec.format === "code") {
    return `- \`${kind}\` (${spec.label}): one file per artifact; set \`path\` (relative to the repository root) and \`language\`, and put the complete file in \`content\`, never a fragment or a diff.`;
  }
  if (spec.format === "json") {
    return `- \`${kind}\` (${spec.label}): returned as structured output in the exact schema you are given, never as prose.`;
  }
  const sections = requiredSections(kind)
    .map((s) => `\`## ${s}\``)
    .join(", ");
  return `- \`${kind}\` (${spec.label}): Markdown with a \`# \` title and exactly these level-2 sections, in this order: ${sections}. Add \`### \` subsections freely inside them.`;
}

function writesDocsFiles(spec: PromptSpec): boolean {
  return (
    spec.tools.includes("write_file") &&
    spec.artifactKinds.some((k) => artifactKindSpec(k).format === "markdown")
  );
}

/** Builds a system prompt with the same structure for every agent, so they can be compared and edited. */
export function composeSystemPrompt(spec: PromptSpec): string {
  const toolLines = spec.tools.map(
    (tool) => `- \`${tool}\`: ${spec.toolGuidance?.[tool] ?? DEFAULT_TOOL_GUIDANCE[tool]}`,
  );
  return [
    `You are the ${spec.name} agent in DafnckMachine, where a swarm of specialist agents turns a software goal into delivered work: a plan, documents, code, tests and deployment plans, reviewed and approved by the team. ${spec.mission}`,
    "",
    "## What you do",
    ...spec.responsibilities.map((r) => `- ${r}`),
    "",
    "## Output contract",
    spec.output,
    ...spec.artifactKinds.map(artifactContract),
    ...(writesDocsFiles(spec) ? [DOCS_RULE] : []),
    "",
    "## Tools",
    ...(toolLines.length ? toolLines : ["You have no tools: everything you need is in your prompt."]),
    "",
    "## Quality bar",
    ...spec.qualityBar.map((q) => `- ${q}`),
    "",
    "## Run rules",
    ...RUN_RULES.map((r) => `- ${r}`),
  ].join("\n");
}

type AgentSpec = Omit<AgentDefinition, "systemPrompt" | "modelId" | "tools" | "artifactKinds"> &
  Omit<PromptSpec, "name">;

/** A catalog entry: the definition with its composed system prompt. */
export function defineAgent(spec: AgentSpec): AgentDefinition {
  const { mission, responsibilities, output, qualityBar, toolGuidance, tools, artifactKinds, ...definition } =
    spec;
  return {
    ...definition,
    tools: [...tools],
    artifactKinds: [...artifactKinds],
    systemPrompt: composeSystemPrompt({
      name: spec.name,
      mission,
      responsibilities,
      output,
      qualityBar,
      toolGuidance,
      tools,
      artifactKinds,
    }),
  };
}
