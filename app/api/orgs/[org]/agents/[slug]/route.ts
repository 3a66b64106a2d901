import { agentUpdateSchema, getAgent, updateAgent } from "@/lib/agents/org-agents";
import { orgRoute } from "@/lib/api/route";

export const GET = orgRoute({ permission: "runs.read" }, async ({ ctx, params }) =>
  getAgent(ctx, params.slug ?? ""),
);

/** Every save is a new version; `archived: true` archives the agent. */
export const PUT = orgRoute(
  { permission: "agents.manage", body: agentUpdateSchema },
  async ({ ctx, params, body }) => updateAgent(ctx, params.slug ?? "", body),
);
