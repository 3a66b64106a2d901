import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { runTasks } from "@/db/schema";
import { loadAgentCatalog } from "@/lib/agents/org-agents";
import type { OrgContext } from "@/lib/orgs/context";
import { appendRunEvents } from "@/lib/runs/event-log";
import {
  assertClaimable,
  claimantOf,
  type ExternalTaskView,
  externalContext,
  externalTaskView,
} from "./external-task";
import { actorName, findTask, withPlanEdit } from "./shared";

export type ExternalClaim = {
  task: ExternalTaskView;
  /** The role the IDE agent takes on: the assigned agent's definition and system prompt. */
  agent: { slug: string; name: string; prompt: string };
  context: string;
  /** The run branch to push the work to. */
  branch: string;
  /** Clone with `git clone <app origin><cloneUrlPath>` and an API key with the repository scopes. */
  cloneUrlPath: string;
};

/**
 * An external worker (an IDE agent over MCP, or a person) claims a task that is waiting for one.
 * Claiming again with the same API key returns the claim; another key gets 409.
 */
export async function claimExternalTask(
  ctx: OrgContext,
  runId: string,
  taskKey: string,
): Promise<ExternalClaim> {
  const claimed = await withPlanEdit(ctx, runId, async (session) => {
    const task = findTask(session, taskKey);
    assertClaimable(ctx, task);
    let row = task;
    if (!task.claimedAt) {
      const reason = `Claimed by ${actorName(ctx)}.`;
      const [updated] = await session.tx
        .update(runTasks)
        .set({ claimedAt: sql`now()`, claimedByApiKeyId: claimantOf(ctx), statusReason: reason })
        .where(and(eq(runTasks.orgId, ctx.org.id), eq(runTasks.id, task.id)))
        .returning();
      if (!updated) throw new Error("task claim returned no row");
      row = updated;
      await appendRunEvents(session.tx, session.scope, [
        { type: "task.status", taskId: task.id, status: "waiting_worker", reason },
      ]);
      await ctx.audit(session.tx, {
        action: "task.claim",
        target: { type: "run", id: session.run.id },
        metadata: { task: task.key, apiKeyId: claimantOf(ctx) },
      });
    }
    const { context, projectSlug } = await externalContext(
      session.tx,
      ctx.org.id,
      session.run.projectId,
      row,
      session.tasks,
    );
    const catalog = await loadAgentCatalog(session.tx, ctx.org.id);
    const definition = catalog.get(row.agentSlug)?.definition;
    return { row, context, projectSlug, branch: session.run.branch ?? "", definition };
  });
  const { definition } = claimed;
  return {
    task: externalTaskView(claimed.row),
    agent: {
      slug: claimed.row.agentSlug,
      name: definition?.name ?? claimed.row.agentSlug,
      prompt: definition?.systemPrompt ?? "",
    },
    context: claimed.context,
    branch: claimed.branch,
    cloneUrlPath: `/git/${ctx.org.slug}/${claimed.projectSlug}.git`,
  };
}
