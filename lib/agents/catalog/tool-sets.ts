import type { AgentToolName } from "../tools";

/** Reading only: the reviewer and agents whose output is structured, not an artifact they write. */
export const READ_TOOLS = [
  "read_project_brief",
  "read_context",
  "read_artifact",
] as const satisfies AgentToolName[];

/** What every artifact-producing specialist needs. */
export const DOCUMENT_TOOLS = [
  ...READ_TOOLS,
  "write_artifact",
  "revise_artifact",
  "record_insight",
] as const satisfies AgentToolName[];
