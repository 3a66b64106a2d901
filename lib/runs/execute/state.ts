import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { type Tx, withTenant } from "@/db";
import { agentVersions, approvals, artifacts, organizations, projects, runs, runTasks } from "@/db/schema";
import { ARTIFACT_KINDS, type ArtifactKind } from "@/lib/agents/artifact-kinds";
import { listBuiltinAgents } from "@/lib/agents/catalog";
import { type CatalogAgent, loadAgentCatalog } from "@/lib/agents/org-agents";
import { agentDefinitionSchema } from "@/lib/agents/schema";
import { getOrgRunSettings } from "@/lib/ai/org-settings";
import type { ArtifactRef, ContextInput } from "@/lib/runs/context";
import { getRunTemplate, type RunTemplate } from "@/lib/runs/templates";
import type { RunScope } from "./types";

export type RunRow = typeof runs.$inferSelect;
export type TaskRow = typeof runTasks.$inferSelect;
export type ArtifactRow = typeof artifacts.$inferSelect;

export const inTenant = <T>(scope: RunScope, fn: (tx: Tx) => Promise<T>) =>
  withTenant({ orgId: scope.orgId }, fn);

export async function loadRun(tx: Tx, scope: RunScope): Promise<RunRow | undefined> {
  const [run] = await tx
    .select()
    .from(runs)
    .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)))
    .limit(1);
  return run;
}

export async function loadTasks(tx: Tx, scope: RunScope): Promise<TaskRow[]> {
  return tx
    .select()
    .from(runTasks)
    .where(and(eq(runTasks.orgId, scope.orgId), eq(runTasks.runId, scope.runId)))
    .orderBy(asc(runTasks.position));
}

export async function loadTask(tx: Tx, scope: RunScope, taskId: string): Promise<TaskRow | undefined> {
  const [task] = await tx
    .select()
    .from(runTasks)
    .where(and(eq(runTasks.orgId, scope.orgId), eq(runTasks.runId, scope.runId), eq(runTasks.id, taskId)))
    .limit(1);
  return task;
}

/** The latest version of each artifact of the run. */
export async function latestArtifacts(tx: Tx, scope: RunScope): Promise<ArtifactRow[]> {
  const rows = await tx
    .select()
    .from(artifacts)
    .where(and(eq(artifacts.orgId, scope.orgId), eq(artifacts.runId, scope.runId)))
    .orderBy(asc(artifacts.createdAt), desc(artifacts.version));
  const latest = new Map<string, ArtifactRow>();
  for (const row of rows) {
    const current = latest.get(row.artifactKey);
    if (!current || row.version > current.version) latest.set(row.artifactKey, row);
  }
  return [...latest.values()];
}

const isKind = (kind: string): kind is ArtifactKind => (ARTIFACT_KINDS as readonly string[]).includes(kind);

export function toRef(row: ArtifactRow, taskKey?: string): ArtifactRef {
  return {
    id: row.id,
    title: row.title,
    kind: isKind(row.kind) ? row.kind : "documentation",
    version: row.version,
    summary: row.summary,
    author: row.agentSlug ?? undefined,
    taskKey,
  };
}

/** Everything a model call in this run needs to build its context. */
export type RunEnvironment = {
  run: RunRow;
  template: RunTemplate;
  organization: { name: string; standards: string };
  project: { id: string; name: string; brief: string };
  /** The project's shared context (conventions, decisions) people and IDE agents maintain. */
  projectContext: string;
  catalog: Map<string, CatalogAgent>;
};

export async function loadEnvironment(scope: RunScope): Promise<RunEnvironment> {
  const settings = await getOrgRunSettings(scope.orgId);
  return inTenant(scope, async (tx) => {
    const run = await loadRun(tx, scope);
    if (!run) throw new Error(`Run ${scope.runId} not found in its organization.`);
    const template = getRunTemplate(run.templateSlug);
    if (!template) throw new Error(`Unknown run template ${run.templateSlug}.`);
    const [project] = await tx
      .select({
        id: projects.id,
        name: projects.name,
        brief: projects.brief,
        description: projects.description,
        context: projects.context,
      })
      .from(projects)
      .where(and(eq(projects.orgId, scope.orgId), eq(projects.id, run.projectId)))
      .limit(1);
    if (!project) throw new Error("The run's project is gone.");
    const [org] = await tx
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, scope.orgId))
      .limit(1);
    return {
      run,
      template,
      organization: { name: org?.name ?? "Organization", standards: settings.standards },
      project: { id: project.id, name: project.name, brief: project.brief || project.description },
      projectContext: project.context,
      catalog: await pinnedCatalog(tx, scope.orgId, run.agentVersions),
    };
  });
}

/**
 * The organization's catalog with each agent the run pinned (slug → version, 0 = built-in) at
 * that version, whatever was saved since: an edit mid-run never changes a running run.
 */
async function pinnedCatalog(
  tx: Tx,
  orgId: string,
  pins: Record<string, number>,
): Promise<Map<string, CatalogAgent>> {
  const catalog = await loadAgentCatalog(tx, orgId);
  const stale = Object.entries(pins).filter(([slug, version]) => catalog.get(slug)?.version !== version);
  if (!stale.length) return catalog;
  const builtins = new Map(listBuiltinAgents().map((a) => [a.slug, a]));
  const rows = await tx
    .select()
    .from(agentVersions)
    .where(
      and(
        eq(agentVersions.orgId, orgId),
        inArray(
          agentVersions.slug,
          stale.map(([slug]) => slug),
        ),
      ),
    );
  for (const [slug, version] of stale) {
    if (version === 0) {
      const definition = builtins.get(slug);
      if (definition)
        catalog.set(slug, { definition, version: 0, source: "builtin", basedOn: null, archived: false });
      continue;
    }
    const row = rows.find((r) => r.slug === slug && r.version === version);
    const parsed = row ? agentDefinitionSchema.safeParse(row.definition) : null;
    if (row && parsed?.success) {
      catalog.set(slug, {
        definition: parsed.data,
        version,
        source: "organization",
        basedOn: row.basedOn,
        archived: row.archived,
      });
    }
  }
  return catalog;
}

export function agentOf(env: RunEnvironment, slug: string): CatalogAgent {
  const agent = env.catalog.get(slug);
  if (!agent) throw new Error(`Agent ${slug} is not in the organization's catalog.`);
  return agent;
}

/** The layers shared by every call of the run (organization, project, goal, plan). */
export function baseContext(
  env: RunEnvironment,
  tasks: TaskRow[],
): Pick<ContextInput, "organization" | "project" | "run"> {
  return {
    organization: env.organization,
    project: { name: env.project.name, brief: env.project.brief },
    run: {
      goal: env.run.goal,
      template: {
        slug: env.template.slug,
        name: env.template.name,
        guidance: env.template.orchestratorGuidance,
      },
      plan: tasks.length
        ? tasks.map((t) => ({
            key: t.key,
            title: t.title,
            agent: t.agentSlug,
            status: t.status,
            phase: t.phaseKey,
            dependsOn: t.dependsOn,
          }))
        : undefined,
    },
  };
}

/** Answered questions a task's agent asked (request_human_input), oldest first. */
export async function answeredQuestions(tx: Tx, scope: RunScope, taskId: string) {
  const rows = await tx
    .select({ prompt: approvals.prompt, comment: approvals.comment, title: approvals.title })
    .from(approvals)
    .where(
      and(
        eq(approvals.orgId, scope.orgId),
        eq(approvals.runId, scope.runId),
        eq(approvals.taskId, taskId),
        inArray(approvals.status, ["approved", "rejected"]),
      ),
    )
    .orderBy(asc(approvals.createdAt));
  return rows
    .filter((r) => r.title.startsWith(QUESTION_TITLE_PREFIX))
    .map((r) => ({ question: r.prompt, answer: r.comment ?? "(no answer given)" }));
}

/** Approvals that carry an agent's question rather than a result to accept. */
export const QUESTION_TITLE_PREFIX = "Question from ";
