import "server-only";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow, readProject } from "./queries";
import type { Project } from "./types";

export type ProjectWithContext = Project & { context: string };

/** The project with its shared context (conventions, decisions) that agents and IDE agents read. */
export async function getProjectWithContext(ctx: OrgContext, slug: string): Promise<ProjectWithContext> {
  return ctx.tx(async (tx) => {
    const row = await findProjectRow(tx, ctx.org.id, slug);
    return { ...(await readProject(tx, ctx.org.id, slug)), context: row.context };
  });
}
