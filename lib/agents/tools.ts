import { z } from "zod";
import {
  EXEC_TOOL_NAMES,
  type ExecToolName,
  execToolDescriptions,
  execToolInputSchemas,
} from "@/lib/checks/tools/schemas";
import { repoToolDescriptions, repoToolInputSchemas } from "@/lib/repos/tools/schemas";
import { REPO_TOOL_NAMES, type RepoToolName } from "@/lib/repos/tools/types";
import { TASK_PRIORITIES } from "@/lib/runs/plan";
import { ARTIFACT_KINDS } from "./artifact-kinds";

/**
 * The tools an agent may be granted. Only names and input schemas live here (pure, shared by the
 * catalog, prompts, the demo model and the engine); the engine binds them to a run with `execute`.
 */
export const RUN_TOOL_NAMES = [
  "read_project_brief",
  "read_context",
  "read_artifact",
  "write_artifact",
  "revise_artifact",
  "record_insight",
  "add_subtask",
  "request_human_input",
  "search_knowledge",
] as const;

/** Tools bound to the run's records (artifacts, tasks, approvals). */
export type RunToolName = (typeof RUN_TOOL_NAMES)[number];

/**
 * Every tool an agent definition may grant: the run's tools, the repository tools
 * (`lib/repos/tools`, bound to the task's working tree), then the execution tools
 * (`lib/checks/tools`, commands and checks in the sandbox on that tree).
 */
export const AGENT_TOOL_NAMES = [...RUN_TOOL_NAMES, ...REPO_TOOL_NAMES, ...EXEC_TOOL_NAMES] as const;

export type AgentToolName = (typeof AGENT_TOOL_NAMES)[number];

export const isRepoToolName = (name: string): name is RepoToolName =>
  (REPO_TOOL_NAMES as readonly string[]).includes(name);

export const isExecToolName = (name: string): name is ExecToolName =>
  (EXEC_TOOL_NAMES as readonly string[]).includes(name);

export const isRunToolName = (name: string): name is RunToolName =>
  (RUN_TOOL_NAMES as readonly string[]).includes(name);

/** Where `search_knowledge` looks: the project's knowledge and its organization's, or only the organization's. */
export const KNOWLEDGE_SEARCH_SCOPES = ["project", "organization"] as const;

export const CONTEXT_LAYERS = ["organization", "project", "run", "task"] as const;

const artifactId = z.string().trim().min(1, "Give the artifact id shown in your context.");

export const agentToolInputSchemas = {
  read_project_brief: z.object({}),
  read_context: z.object({
    layer: z
      .enum(CONTEXT_LAYERS)
      .describe(
        "Which context layer to read in full: organization standards, project, run (goal and plan) or task.",
      ),
  }),
  read_artifact: z.object({
    artifactId: artifactId.describe("The id of the artifact, as listed in your context."),
    version: z.number().int().positive().optional().describe("A specific version; the latest when omitted."),
  }),
  write_artifact: z.object({
    kind: z
      .enum(ARTIFACT_KINDS)
      .describe("The kind of artifact; it decides the sections the reviewer expects."),
    title: z.string().trim().min(3).max(200).describe("A short, specific title."),
    path: z
      .string()
      .trim()
      .max(300)
      .optional()
      .describe("For code and test code: the file path relative to the repository root."),
    language: z
      .string()
      .trim()
      .max(40)
      .optional()
      .describe("For code: the language, e.g. typescript, sql, yaml."),
    content: z.string().min(1).describe("The full content: Markdown for documents, the file text for code."),
    summary: z
      .string()
      .trim()
      .min(20)
      .max(1200)
      .describe(
        "What this artifact says, in 2-5 sentences; other agents see this summary instead of the content.",
      ),
  }),
  revise_artifact: z.object({
    artifactId: artifactId.describe(
      "The artifact to revise (you must have written it or been asked to revise it).",
    ),
    content: z.string().min(1).describe("The full new content, not a diff."),
    summary: z.string().trim().min(20).max(1200).describe("The updated 2-5 sentence summary."),
    changeNote: z
      .string()
      .trim()
      .min(5)
      .max(600)
      .describe("What changed and why, e.g. which review reasons it addresses."),
  }),
  record_insight: z.object({
    title: z.string().trim().min(3).max(200),
    body: z
      .string()
      .trim()
      .min(10)
      .max(4000)
      .describe("The reusable lesson, decision or fact, stated plainly."),
    tags: z.array(z.string().trim().min(1).max(40)).max(8).optional(),
  }),
  add_subtask: z.object({
    title: z.string().trim().min(3).max(200),
    description: z.string().trim().min(10).max(4000),
    agent: z
      .string()
      .trim()
      .min(1)
      .describe("Slug of the agent who should do it (from the available agents)."),
    priority: z.enum(TASK_PRIORITIES),
    acceptanceCriteria: z.array(z.string().trim().min(3)).min(1).max(12),
  }),
  request_human_input: z.object({
    question: z
      .string()
      .trim()
      .min(10)
      .max(2000)
      .describe("One precise question a person on the team can answer."),
    why: z.string().trim().min(10).max(2000).describe("What you cannot decide without the answer."),
    options: z
      .array(z.string().trim().min(1).max(200))
      .max(6)
      .optional()
      .describe("Suggested answers, if any."),
  }),
  search_knowledge: z.object({
    query: z
      .string()
      .trim()
      .min(2, "Say what to look for.")
      .max(400)
      .describe("What to look for, in a few specific words (a topic, a name, a rule)."),
    scope: z
      .enum(KNOWLEDGE_SEARCH_SCOPES)
      .optional()
      .describe(
        "`project` (default): the project's knowledge and the organization's; `organization`: only the organization's own (its standards and references).",
      ),
    limit: z.number().int().min(1).max(10).optional().describe("How many passages, 5 when omitted."),
  }),
  ...repoToolInputSchemas,
  ...execToolInputSchemas,
} as const satisfies Record<AgentToolName, z.ZodType>;

export type AgentToolInput<T extends AgentToolName> = z.infer<(typeof agentToolInputSchemas)[T]>;

export const agentToolDescriptions: Record<AgentToolName, string> = {
  read_project_brief: "Read the project's brief: what the project is, for whom, and its constraints.",
  read_context:
    "Read one context layer in full (organization standards, project, run goal and plan, or your task) when the version in your prompt was shortened.",
  read_artifact: "Read the full content of an artifact produced in this run or project, by id.",
  write_artifact:
    "Save a new artifact (a document or a code file) as the result of your task. Include a short summary for other agents.",
  revise_artifact: "Save a new version of an existing artifact, e.g. to address review feedback.",
  record_insight: "Record a reusable insight, decision or fact in the project's knowledge base.",
  add_subtask: "Add a follow-up task to this run, assigned to another agent, with acceptance criteria.",
  request_human_input:
    "Ask the team a question and pause this task until someone answers. Use only when you cannot proceed responsibly without the answer.",
  search_knowledge:
    "Search the knowledge base (the organization's standards and references, the project's documents, insights and past run outcomes); answers with cited passages.",
  ...repoToolDescriptions,
  ...execToolDescriptions,
};
