import "server-only";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { findProjectRow } from "@/lib/projects/queries";
import { findRunRow } from "@/lib/runs/queries";
import { type PublishResult, publishRun } from "./publish-run";

export type PushedRun = Extract<PublishResult, { branch: string }>;

/**
 * On demand (the run page's "Push" button): publishes the run's branch now. The run must belong
 * to the project in the URL; no remote or no branch yet is a 409 that says what to do.
 */
export async function pushRunNow(ctx: OrgContext, projectSlug: string, runId: string): Promise<PushedRun> {
  await ctx.tx(async (tx) => {
    const project = await findProjectRow(tx, ctx.org.id, projectSlug);
    const run = await findRunRow(tx, ctx.org.id, runId);
    if (run.projectId !== project.id) throw new AppError("not_found", "Run not found.");
  });
  const result = await publishRun({ orgId: ctx.org.id, runId });
  if ("skipped" in result) {
    throw new AppError(
      "conflict",
      result.skipped === "no remote"
        ? "Connect a remote in the project's repository settings before pushing."
        : "This run has no branch with commits to push yet.",
    );
  }
  await ctx.tx((tx) =>
    ctx.audit(tx, {
      action: "run.push",
      target: { type: "run", id: runId },
      metadata: {
        branch: result.branch,
        sha: result.sha,
        remote: result.remote,
        pullRequestUrl: result.pullRequestUrl,
      },
    }),
  );
  return result;
}
