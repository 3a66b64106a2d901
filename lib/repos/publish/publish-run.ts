import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { type Tx, withTenant } from "@/db";
import {
  artifacts,
  organizations,
  projectRepositories,
  projects,
  runEvents,
  runs,
  runTasks,
} from "@/db/schema";
import { appUrl } from "@/lib/app-origin";
import { decryptSecret } from "@/lib/crypto";
import { AppError, notFound } from "@/lib/errors";
import { appendRunEvents } from "@/lib/runs/event-log";
import { once, type StepKey, storedResult } from "@/lib/runs/execute/once";
import { gitBare } from "../git";
import { originPath } from "../paths";
import { vetRemoteUrl } from "../remote/vet-remote-url";
import { openPullRequest } from "./open-pull-request";
import { pushRunBranch } from "./push-run-branch";

export type PublishScope = { orgId: string; runId: string };

export type PublishResult =
  | { skipped: "no remote" | "no branch" }
  | { branch: string; sha: string; remote: string; pushed: boolean; pullRequestUrl: string | null };

type Loaded = {
  run: typeof runs.$inferSelect;
  project: typeof projects.$inferSelect;
  orgSlug: string;
  repo: typeof projectRepositories.$inferSelect | undefined;
};

async function load(tx: Tx, scope: PublishScope): Promise<Loaded> {
  const [row] = await tx
    .select({ run: runs, project: projects, orgSlug: organizations.slug })
    .from(runs)
    .innerJoin(projects, and(eq(projects.orgId, runs.orgId), eq(projects.id, runs.projectId)))
    .innerJoin(organizations, eq(organizations.id, runs.orgId))
    .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)))
    .limit(1);
  if (!row) throw notFound("Run not found.");
  const [repo] = await tx
    .select()
    .from(projectRepositories)
    .where(and(eq(projectRepositories.orgId, scope.orgId), eq(projectRepositories.projectId, row.project.id)))
    .limit(1);
  return { ...row, repo };
}

/** The pull request body: the run's summary (or its goal and tasks) and a link back to the run. */
async function pullRequestBody(tx: Tx, loaded: Loaded, runLink: string): Promise<string> {
  const { run } = loaded;
  const [summary] = await tx
    .select({ content: artifacts.content })
    .from(artifacts)
    .where(
      and(
        eq(artifacts.orgId, run.orgId),
        eq(artifacts.runId, run.id),
        run.summaryArtifactId ? eq(artifacts.id, run.summaryArtifactId) : eq(artifacts.kind, "run_summary"),
      ),
    )
    .orderBy(desc(artifacts.version))
    .limit(1);
  let text = summary?.content.trim();
  if (!text) {
    const tasks = await tx
      .select({ key: runTasks.key, title: runTasks.title, status: runTasks.status })
      .from(runTasks)
      .where(and(eq(runTasks.orgId, run.orgId), eq(runTasks.runId, run.id)))
      .orderBy(asc(runTasks.position));
    const list = tasks.map((t) => `- [${t.status === "done" ? "x" : " "}] ${t.key}: ${t.title}`).join("\n");
    text = `## Goal\n\n${run.goal}${list ? `\n\n## Tasks\n\n${list}` : ""}`;
  }
  const label = run.number ? `run #${run.number}` : "its run";
  return `${text}\n\n---\nOpened by DafnckMachine from [${label}](${runLink}).`;
}

async function alreadyRecorded(
  tx: Tx,
  scope: PublishScope,
  sha: string,
  prUrl: string | null,
): Promise<boolean> {
  const [row] = await tx
    .select({ seq: runEvents.seq })
    .from(runEvents)
    .where(
      and(
        eq(runEvents.orgId, scope.orgId),
        eq(runEvents.runId, scope.runId),
        eq(runEvents.type, "run.pushed"),
        sql`${runEvents.data}->>'sha' = ${sha}`,
        prUrl === null
          ? sql`${runEvents.data}->>'pullRequestUrl' is null`
          : sql`${runEvents.data}->>'pullRequestUrl' = ${prUrl}`,
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * Pushes the run's branch from the origin to the project's connected remote and, for GitHub,
 * opens (or reuses) a pull request into the default branch whose body is the run summary with a
 * link back to the run. Records runs.pushedAt / pullRequestUrl and one `run.pushed` event per
 * pushed commit. No remote → `{ skipped: "no remote" }`; a run without a branch in the origin →
 * `{ skipped: "no branch" }`.
 *
 * Safe to repeat: the push is skipped when the remote already has the commit, the pull request is
 * looked up before one is opened, and the event is not appended twice. With a step `key` (from
 * the run function), a step that already committed returns its stored result without touching
 * the network.
 */
export async function publishRun(scope: PublishScope, key?: StepKey): Promise<PublishResult> {
  if (key) {
    const stored = await storedResult<PublishResult>(scope, key);
    if (stored) return stored.result;
  }
  const loaded = await withTenant({ orgId: scope.orgId }, (tx) => load(tx, scope));
  const { run, project, repo } = loaded;
  if (!repo?.remoteUrl) return { skipped: "no remote" };
  const origin = originPath(scope.orgId, project.id);
  const branch = run.branch;
  const head = branch
    ? await gitBare(origin, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`], {
        okCodes: [1, 128],
      })
    : null;
  const sha = head?.code === 0 ? head.stdout.trim() : null;
  if (!branch || !sha) return { skipped: "no branch" };

  // Vetted again at every push: the host may resolve elsewhere now, or the operator's settings changed.
  const remote = await vetRemoteUrl(repo.remoteUrl, { field: "remote" }).catch((error: unknown) => {
    const reason = error instanceof AppError ? error.fieldErrors?.remote?.[0] : undefined;
    if (!reason) throw error;
    throw new AppError("conflict", `The connected remote can no longer be used: ${reason} Connect it again.`);
  });
  const token = repo.remoteTokenEncrypted ? decryptSecret(repo.remoteTokenEncrypted) : null;
  const outcome = await pushRunBranch({ origin, remote, token, branch, sha });

  let pullRequestUrl: string | null = null;
  if (repo.remoteProvider === "github" && repo.remoteRepo && token) {
    const runLink = await appUrl(`/${loaded.orgSlug}/projects/${project.slug}/runs/${run.id}`);
    const body = await withTenant({ orgId: scope.orgId }, (tx) => pullRequestBody(tx, loaded, runLink));
    const pr = await openPullRequest({
      token,
      repo: repo.remoteRepo,
      head: branch,
      base: repo.defaultBranch,
      title: run.goal,
      body,
    });
    pullRequestUrl = pr.url;
  }

  const result: PublishResult = {
    branch,
    sha,
    remote: repo.remoteUrl,
    pushed: outcome.pushed,
    pullRequestUrl,
  };
  const record = async (tx: Tx) => {
    await tx
      .update(runs)
      .set({ pushedAt: new Date(), ...(pullRequestUrl ? { pullRequestUrl } : {}) })
      .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)));
    if (!(await alreadyRecorded(tx, scope, sha, pullRequestUrl))) {
      await appendRunEvents(tx, scope, [
        { type: "run.pushed", branch, remote: repo.remoteUrl ?? "", sha, pullRequestUrl },
      ]);
    }
    return result;
  };
  return key ? once(scope, key, record) : withTenant({ orgId: scope.orgId }, record);
}
