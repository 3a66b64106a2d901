import { EXEC_TOOL_NAMES } from "@/lib/checks/tools/schemas";
import { READ_ONLY_REPO_TOOLS, REPO_TOOL_NAMES } from "@/lib/repos/tools/types";
import type { AgentToolName } from "../tools";

/** Reading the run's records only. */
export const RUN_READ_TOOLS = [
  "read_project_brief",
  "read_context",
  "read_artifact",
] as const satisfies AgentToolName[];

/**
 * Looking things up in the knowledge base (standards, references, insights, past run outcomes):
 * for every agent whose work depends on what the team already decided or wrote down.
 */
export const KNOWLEDGE_TOOLS = ["search_knowledge"] as const satisfies AgentToolName[];

/** Reading: the run's records and the repository (list, read, search, diff), never writing. */
export const READ_TOOLS: readonly AgentToolName[] = [...RUN_READ_TOOLS, ...READ_ONLY_REPO_TOOLS];

/**
 * What every artifact-producing specialist needs: its artifacts, and the repository to read and
 * change (code, tests, and its documents as `docs/...` files), and the sandbox to run commands and
 * the project's checks in.
 */
export const DOCUMENT_TOOLS: readonly AgentToolName[] = [
  ...RUN_READ_TOOLS,
  ...KNOWLEDGE_TOOLS,
  "write_artifact",
  "revise_artifact",
  "record_insight",
  ...REPO_TOOL_NAMES,
  ...EXEC_TOOL_NAMES,
];

/** A specialist who reviews (code, security) and writes only its report: the repository read-only. */
export const REVIEW_REPORT_TOOLS: readonly AgentToolName[] = [
  ...RUN_READ_TOOLS,
  ...KNOWLEDGE_TOOLS,
  "write_artifact",
  "revise_artifact",
  "record_insight",
  ...READ_ONLY_REPO_TOOLS,
];
