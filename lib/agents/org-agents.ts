import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db";
import { agentVersions } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { listBuiltinAgents } from "./catalog";
import { type AgentDefinition, agentDefinitionSchema } from "./schema";

/**
 * An organization's agent catalog: the built-in agents overlaid by the organization's own
 * (clones keep or change the slug; a same-slug agent replaces the built-in for that organization).
 * Version 0 is a built-in; org agents count from 1, each save a new row in agent_versions.
 */
export type CatalogAgent = {
  definition: AgentDefinition;
  version: number;
  source: "builtin" | "organization";
  basedOn: string | null;
  archived: boolean;
};

/** The latest version of every org agent (archived included), by slug. */
async function latestOrgVersions(tx: Tx, orgId: string) {
  const rows = await tx
    .select()
    .from(agentVersions)
    .where(eq(agentVersions.orgId, orgId))
    .orderBy(agentVersions.slug, desc(agentVersions.version));
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!latest.has(row.slug)) latest.set(row.slug, row);
  return latest;
}

/** Every agent available to the organization's runs (archived ones left out), by slug. */
export async function loadAgentCatalog(tx: Tx, orgId: string): Promise<Map<string, CatalogAgent>> {
  const catalog = new Map<string, CatalogAgent>();
  for (const definition of listBuiltinAgents()) {
    catalog.set(definition.slug, {
      definition,
      version: 0,
      source: "builtin",
      basedOn: null,
      archived: false,
    });
  }
  for (const [slug, row] of await latestOrgVersions(tx, orgId)) {
    const parsed = agentDefinitionSchema.safeParse(row.definition);
    if (!parsed.success) continue;
    if (row.archived) {
      // Archiving an override brings the built-in back; archiving an own agent removes it.
      continue;
    }
    catalog.set(slug, {
      definition: parsed.data,
      version: row.version,
      source: "organization",
      basedOn: row.basedOn,
      archived: false,
    });
  }
  return catalog;
}

/* ------------------------------------------------------------------ management (agents.manage) */

export const agentCreateSchema = z.object({
  /** Built-in or org agent to copy; absent for a new agent. */
  from: z.string().trim().max(64).optional(),
  definition: agentDefinitionSchema.partial({
    whenToUse: true,
    systemPrompt: true,
    artifactKinds: true,
    tools: true,
    modelTier: true,
    category: true,
  }),
});

export const agentUpdateSchema = agentDefinitionSchema
  .omit({ slug: true })
  .partial()
  .extend({ archived: z.boolean().optional() });

export type AgentCreateInput = z.infer<typeof agentCreateSchema>;
export type AgentUpdateInput = z.infer<typeof agentUpdateSchema>;

export type AgentSummary = {
  slug: string;
  name: string;
  category: AgentDefinition["category"];
  whenToUse: string;
  modelTier: AgentDefinition["modelTier"];
  version: number;
  source: CatalogAgent["source"];
  archived: boolean;
};

export type AgentDetail = AgentSummary & {
  definition: AgentDefinition;
  basedOn: string | null;
  versions: { version: number; createdAt: string; createdById: string | null; archived: boolean }[];
};

const summarize = (a: CatalogAgent): AgentSummary => ({
  slug: a.definition.slug,
  name: a.definition.name,
  category: a.definition.category,
  whenToUse: a.definition.whenToUse,
  modelTier: a.definition.modelTier,
  version: a.version,
  source: a.source,
  archived: a.archived,
});

/** The catalog for browsing: built-ins and the organization's agents, filtered by category and text. */
export async function listAgents(
  ctx: OrgContext,
  filter: { category?: string; q?: string } = {},
): Promise<AgentSummary[]> {
  const catalog = await ctx.tx((tx) => loadAgentCatalog(tx, ctx.org.id));
  const q = filter.q?.trim().toLowerCase();
  return [...catalog.values()]
    .filter((a) => !filter.category || a.definition.category === filter.category)
    .filter(
      (a) =>
        !q ||
        [a.definition.slug, a.definition.name, a.definition.whenToUse].some((t) =>
          t.toLowerCase().includes(q),
        ),
    )
    .map(summarize);
}

export async function getAgent(ctx: OrgContext, slug: string): Promise<AgentDetail> {
  return ctx.tx(async (tx) => {
    const catalog = await loadAgentCatalog(tx, ctx.org.id);
    const history = await tx
      .select()
      .from(agentVersions)
      .where(and(eq(agentVersions.orgId, ctx.org.id), eq(agentVersions.slug, slug)))
      .orderBy(desc(agentVersions.version));
    const current = catalog.get(slug);
    const latest = history[0];
    const latestDefinition = latest ? agentDefinitionSchema.safeParse(latest.definition) : undefined;
    const agent: CatalogAgent | undefined =
      current ??
      (latest && latestDefinition?.success
        ? {
            definition: latestDefinition.data,
            version: latest.version,
            source: "organization",
            basedOn: latest.basedOn,
            archived: true,
          }
        : undefined);
    if (!agent) throw notFound("Agent not found.");
    return {
      ...summarize(agent),
      definition: agent.definition,
      basedOn: agent.basedOn,
      versions: history.map((h) => ({
        version: h.version,
        createdAt: h.createdAt.toISOString(),
        createdById: h.createdById,
        archived: h.archived,
      })),
    };
  });
}

async function insertVersion(
  tx: Tx,
  ctx: OrgContext,
  definition: AgentDefinition,
  extra: { basedOn: string | null; archived: boolean },
): Promise<number> {
  const [{ next } = { next: 1 }] = await tx
    .select({ next: sql<number>`coalesce(max(${agentVersions.version}), 0)::int + 1` })
    .from(agentVersions)
    .where(and(eq(agentVersions.orgId, ctx.org.id), eq(agentVersions.slug, definition.slug)));
  await tx.insert(agentVersions).values({
    orgId: ctx.org.id,
    slug: definition.slug,
    version: Number(next),
    definition,
    basedOn: extra.basedOn,
    archived: extra.archived,
    createdById: ctx.user.id,
  });
  return Number(next);
}

function invalid(error: z.ZodError): AppError {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "definition");
    fieldErrors[key] ??= [];
    fieldErrors[key].push(issue.message);
  }
  return new AppError("validation", "Some fields are invalid.", { fieldErrors });
}

/** Creates an agent, new or copied from another (`from`); its first version is 1. */
export async function createAgent(ctx: OrgContext, input: AgentCreateInput): Promise<AgentDetail> {
  await ctx.tx(async (tx) => {
    const catalog = await loadAgentCatalog(tx, ctx.org.id);
    const source = input.from ? catalog.get(input.from) : undefined;
    if (input.from && !source)
      throw new AppError("validation", "Some fields are invalid.", {
        fieldErrors: { from: ["No agent with that slug to copy."] },
      });
    const parsed = agentDefinitionSchema.safeParse({ ...source?.definition, ...input.definition });
    if (!parsed.success) throw invalid(parsed.error);
    const existing = await latestOrgVersions(tx, ctx.org.id);
    // A new slug may not shadow a built-in unless it is a copy of that built-in (an override).
    const overridesBuiltin =
      catalog.get(parsed.data.slug)?.source === "builtin" && input.from === parsed.data.slug;
    if (existing.has(parsed.data.slug) || (catalog.has(parsed.data.slug) && !overridesBuiltin)) {
      throw new AppError("conflict", "An agent with this slug already exists.", {
        fieldErrors: { slug: ["Choose another slug; this one is taken."] },
      });
    }
    const version = await insertVersion(tx, ctx, parsed.data, {
      basedOn: input.from ?? null,
      archived: false,
    });
    await ctx.audit(tx, {
      action: "agent.create",
      target: { type: "agent", id: parsed.data.slug },
      metadata: { slug: parsed.data.slug, version, basedOn: input.from ?? null },
    });
  });
  return getAgent(ctx, input.definition.slug);
}

/** Saves a new version of an organization agent (editing a built-in makes an override of it). */
export async function updateAgent(
  ctx: OrgContext,
  slug: string,
  input: AgentUpdateInput,
): Promise<AgentDetail> {
  await ctx.tx(async (tx) => {
    const catalog = await loadAgentCatalog(tx, ctx.org.id);
    const history = await latestOrgVersions(tx, ctx.org.id);
    const latest = history.get(slug);
    const base =
      catalog.get(slug)?.definition ?? (latest ? (latest.definition as AgentDefinition) : undefined);
    if (!base) throw notFound("Agent not found.");
    const { archived, ...changes } = input;
    const parsed = agentDefinitionSchema.safeParse({ ...base, ...changes, slug });
    if (!parsed.success) throw invalid(parsed.error);
    const version = await insertVersion(tx, ctx, parsed.data, {
      basedOn: latest?.basedOn ?? (catalog.get(slug)?.source === "builtin" ? slug : null),
      archived: archived ?? false,
    });
    await ctx.audit(tx, {
      action: "agent.update",
      target: { type: "agent", id: slug },
      metadata: { slug, version, fields: Object.keys(changes), archived: archived ?? false },
    });
  });
  return getAgent(ctx, slug);
}
