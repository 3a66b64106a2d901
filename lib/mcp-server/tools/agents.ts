import "server-only";
import { z } from "zod";
import { getAgent, listAgents } from "@/lib/agents/org-agents";
import { AGENT_CATEGORIES } from "@/lib/agents/schema";
import { defineTool } from "../define-tool";

/**
 * Agents are read with `runs.read`, as the app's agents API does: an IDE agent reads them to take
 * on a role in a run.
 */
export const listAgentsTool = defineTool({
  name: "list_agents",
  title: "List agents",
  description:
    "Lists the agents the organization's runs use (built-in and the organization's own): slug, name, category and when to use each.",
  permission: "runs.read",
  readOnly: true,
  input: {
    category: z.enum(AGENT_CATEGORIES).optional().describe("Only agents of this category."),
    q: z.string().max(100).optional().describe("Only agents whose slug, name or description contains this."),
  },
  run: async (ctx, input) => ({ agents: await listAgents(ctx, input) }),
});

export const getAgentPromptTool = defineTool({
  name: "get_agent_prompt",
  title: "Get an agent's prompt",
  description:
    "Returns an agent's system prompt, so you can take on its role when you work a task assigned to it. The prompt names our agents' tools: use your own equivalents (read and edit files in your checkout, run the checks, commit and push to the run branch).",
  permission: "runs.read",
  readOnly: true,
  input: { agent: z.string().trim().min(1).max(64).describe("The agent's slug, e.g. `backend-engineer`.") },
  run: async (ctx, input) => {
    const agent = await getAgent(ctx, input.agent);
    return {
      agent: {
        slug: agent.slug,
        name: agent.name,
        category: agent.category,
        whenToUse: agent.whenToUse,
        version: agent.version,
        source: agent.source,
        archived: agent.archived,
        artifactKinds: agent.definition.artifactKinds,
        tools: agent.definition.tools,
      },
      prompt: agent.definition.systemPrompt,
    };
  },
});
