import "server-only";
import type { OrgContext } from "@/lib/orgs/context";
import { type ApprovalInfo, type RunInfo, readRunDetail } from "./queries";

export type RunView = {
  run: RunInfo & { projectSlug: string };
  project: { id: string; slug: string; name: string };
  approvals: ApprovalInfo[];
};

/** A run as REST v1 shows it: the run, its project and its approvals (tasks and artifacts apart). */
export async function getRunView(ctx: OrgContext, runId: string): Promise<RunView> {
  const detail = await ctx.tx((tx) => readRunDetail(tx, ctx.org.id, runId));
  return {
    run: { ...detail.run, projectSlug: detail.project.slug },
    project: detail.project,
    approvals: detail.approvals,
  };
}
