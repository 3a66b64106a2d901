import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db";
import { runs, runTasks } from "@/db/schema";
import { readAgentNames } from "@/lib/runs/queries";
import { gitBare } from "../git";
import type { ProjectRepo } from "./repo";
import { parseTrailers, stripTrailers } from "./trailers";

const RS = "\x1e";
const US = "\x1f";
const FORMAT = `${RS}${["%H", "%P", "%an", "%ae", "%aI", "%cn", "%cI", "%B", "%(trailers:only,unfold)"].join(US)}`;

export type RawCommit = {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authoredAt: string;
  committerName: string;
  committedAt: string;
  message: string;
  trailers: string;
};

export type CommitInfo = {
  sha: string;
  shortSha: string;
  parents: string[];
  author: { name: string; email: string };
  authoredAt: string;
  committer: { name: string };
  committedAt: string;
  /** First line of the message. */
  subject: string;
  /** The rest of the message, without the trailer block. */
  body: string;
  /** The run that made this commit, when it is one of this project's runs. */
  run: { id: string; number: number | null; goal: string; url: string } | null;
  task: { id: string; key: string; title: string; url: string } | null;
  agent: { slug: string; name: string } | null;
};

/** `git log` with the fields the app shows; `args` are revisions and options already validated. */
export async function readLog(origin: string, args: string[]): Promise<RawCommit[]> {
  const { stdout } = await gitBare(origin, [
    "log",
    "--no-color",
    "--no-show-signature",
    `--format=${FORMAT}`,
    ...args,
  ]);
  return stdout
    .split(RS)
    .filter((chunk) => chunk.trim() !== "")
    .map((chunk) => {
      const [
        sha = "",
        parents = "",
        authorName = "",
        authorEmail = "",
        authoredAt = "",
        committerName = "",
        committedAt = "",
        message = "",
        trailers = "",
      ] = chunk.replace(/^\n+/, "").split(US);
      return {
        sha,
        parents: parents.split(" ").filter(Boolean),
        authorName,
        authorEmail,
        authoredAt,
        committerName,
        committedAt,
        message,
        trailers: trailers.replace(/\n+$/, ""),
      };
    });
}

export const runUrl = (repo: ProjectRepo, runId: string) =>
  `/${repo.orgSlug}/projects/${repo.project.slug}/runs/${runId}`;

/**
 * Commits with what their trailers point to: the run (its number and page) when it is one of
 * this project's runs in this organization, the task of that run, the agent's display name. A
 * trailer naming anything else is shown as plain text only (no link).
 */
export async function describeCommits(tx: Tx, repo: ProjectRepo, raw: RawCommit[]): Promise<CommitInfo[]> {
  const parsed = raw.map((c) => ({ c, t: parseTrailers(c.trailers) }));
  const runIds = [...new Set(parsed.map((p) => p.t.runId).filter((id): id is string => !!id))];
  const taskIds = [...new Set(parsed.map((p) => p.t.taskId).filter((id): id is string => !!id))];
  const runRows = runIds.length
    ? await tx
        .select({ id: runs.id, number: runs.number, goal: runs.goal })
        .from(runs)
        .where(and(eq(runs.orgId, repo.orgId), eq(runs.projectId, repo.project.id), inArray(runs.id, runIds)))
    : [];
  const runById = new Map(runRows.map((r) => [r.id, r]));
  const taskRows =
    taskIds.length && runRows.length
      ? await tx
          .select({ id: runTasks.id, runId: runTasks.runId, key: runTasks.key, title: runTasks.title })
          .from(runTasks)
          .where(
            and(
              eq(runTasks.orgId, repo.orgId),
              inArray(runTasks.runId, [...runById.keys()]),
              inArray(runTasks.id, taskIds),
            ),
          )
      : [];
  const taskById = new Map(taskRows.map((t) => [t.id, t]));
  const agentNames = parsed.some((p) => p.t.agentSlug) ? await readAgentNames(tx, repo.orgId) : {};

  return parsed.map(({ c, t }) => {
    const message = stripTrailers(c.message, c.trailers);
    const newline = message.indexOf("\n");
    const run = t.runId ? runById.get(t.runId) : undefined;
    const task = t.taskId ? taskById.get(t.taskId) : undefined;
    const url = run ? runUrl(repo, run.id) : null;
    return {
      sha: c.sha,
      shortSha: c.sha.slice(0, 7),
      parents: c.parents,
      author: { name: c.authorName, email: c.authorEmail },
      authoredAt: c.authoredAt,
      committer: { name: c.committerName },
      committedAt: c.committedAt,
      subject: newline < 0 ? message : message.slice(0, newline),
      body: newline < 0 ? "" : message.slice(newline + 1).trim(),
      run: run && url ? { id: run.id, number: run.number, goal: run.goal, url } : null,
      task:
        run && url && task && task.runId === run.id
          ? { id: task.id, key: task.key, title: task.title, url: `${url}#task-${task.id}` }
          : null,
      agent: t.agentSlug ? { slug: t.agentSlug, name: agentNames[t.agentSlug] ?? t.agentSlug } : null,
    };
  });
}
