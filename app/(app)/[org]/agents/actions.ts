"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { agentUpdateSchema, createAgent, updateAgent } from "@/lib/agents/org-agents";
import { agentDefinitionSchema } from "@/lib/agents/schema";
import { orgAction } from "@/lib/api/action";

const lines = (v: unknown) =>
  typeof v === "string"
    ? v
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean)
    : v;

/** The edit form posts tools and artifact kinds as comma- or line-separated text. */
const editSchema = z.preprocess(
  (v) => {
    const o = { ...(v as Record<string, unknown>) };
    for (const k of ["tools", "artifactKinds"]) if (k in o) o[k] = lines(o[k]);
    if (o.modelId === "") o.modelId = undefined;
    return o;
  },
  agentUpdateSchema.extend({ slug: z.string().min(1).max(64) }),
);

export const saveAgentAction = orgAction(
  { permission: "agents.manage", schema: editSchema },
  async (input, ctx) => {
    const { slug, ...changes } = input;
    const agent = await updateAgent(ctx, slug, changes);
    revalidatePath(`/${ctx.org.slug}/agents/${slug}`);
    return agent;
  },
);

// `/[org]/agents/new` is the create page, so an agent with that slug could never be opened.
const newAgentSlug = agentDefinitionSchema.shape.slug.refine(
  (slug) => slug !== "new",
  "“new” is reserved; choose another slug.",
);

const cloneSchema = z.object({
  from: z.string().trim().min(1, "Choose the agent to copy.").max(64),
  name: agentDefinitionSchema.shape.name,
  slug: newAgentSlug,
});

/** Copies an agent (a built-in, usually) under a new name and slug, as the organization's own. */
export const cloneAgentAction = orgAction(
  { permission: "agents.manage", schema: cloneSchema },
  async ({ from, name, slug }, ctx) => {
    const agent = await createAgent(ctx, { from, definition: { slug, name } });
    revalidatePath(`/${ctx.org.slug}/agents`);
    return agent;
  },
);

export const createAgentAction = orgAction(
  { permission: "agents.manage", schema: agentDefinitionSchema.extend({ slug: newAgentSlug }) },
  async (definition, ctx) => {
    const agent = await createAgent(ctx, { definition });
    revalidatePath(`/${ctx.org.slug}/agents`);
    return agent;
  },
);
