import "server-only";
import { randomUUID } from "node:crypto";
import { inngest } from "@/inngest/client";
import { projectChecksRequested } from "@/inngest/events";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow } from "@/lib/projects/queries";

/**
 * Asks for the project's checks on its default branch (the `project-checks` function runs them
 * in the background). Archived projects are read-only.
 */
export async function requestProjectChecks(ctx: OrgContext, slug: string): Promise<{ requestId: string }> {
  const project = await ctx.tx((tx) => findProjectRow(tx, ctx.org.id, slug));
  if (project.status === "archived") {
    throw new AppError("conflict", "This project is archived. Unarchive it before running its checks.");
  }
  const requestId = randomUUID();
  await inngest.send(projectChecksRequested.create({ orgId: ctx.org.id, projectId: project.id, requestId }));
  return { requestId };
}
