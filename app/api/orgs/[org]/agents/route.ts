import { z } from "zod";
import { agentCreateSchema, createAgent, listAgents } from "@/lib/agents/org-agents";
import { orgRoute } from "@/lib/api/route";

const query = z.object({ category: z.string().max(40).optional(), q: z.string().max(200).optional() });

export const GET = orgRoute({ permission: "runs.read", query }, async ({ ctx, query }) => ({
  agents: await listAgents(ctx, query),
}));

export const POST = orgRoute(
  { permission: "agents.manage", body: agentCreateSchema },
  async ({ ctx, body }) => Response.json(await createAgent(ctx, body), { status: 201 }),
);
