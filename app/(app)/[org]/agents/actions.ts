"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { agentUpdateSchema, updateAgent } from "@/lib/agents/org-agents";
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
