import type { Tool } from "ai";
import { repoToolInputSchemas } from "./schemas";
import type { RepoToolName } from "./types";

/** Calls a repository tool the way the AI SDK would: input validated by its schema, then executed. */
export async function callTool(
  tools: Record<RepoToolName, Tool>,
  name: RepoToolName,
  input: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected field by field
): Promise<any> {
  const parsed = repoToolInputSchemas[name].parse(input);
  const execute = tools[name].execute;
  if (!execute) throw new Error(`${name} has no execute`);
  return execute(parsed as never, { toolCallId: `test-${name}`, messages: [], context: {} });
}
