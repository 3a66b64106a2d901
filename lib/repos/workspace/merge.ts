import { gitBare } from "../git";
import { branchRef } from "./refs";
import { resolveCommit, treeOf } from "./working-copy";

export type TaskCommit = {
  message: string;
  runId: string;
  taskId: string;
  agent: { slug: string; name: string };
};

export type MergeOutcome =
  | { kind: "committed"; sha: string; files: number }
  | { kind: "empty"; sha: string }
  | { kind: "conflict"; head: string; tree: string; files: string[] };

/** The commit on the branch (since `since`) whose `Task` trailer names the task, if any. */
export async function findTaskCommit(
  origin: string,
  branch: string,
  since: string | null,
  taskId: string,
): Promise<string | null> {
  const range = since ? `${since}..${branchRef(branch)}` : branchRef(branch);
  const { stdout } = await gitBare(origin, [
    "log",
    "--format=%H%x00%(trailers:key=Task,valueonly,separator=%x2C)%x00",
    range,
    "--",
  ]);
  const parts = stdout.split("\0");
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const sha = (parts[i] as string).trim();
    const tasks = (parts[i + 1] as string).split(",").map((t) => t.trim());
    if (tasks.includes(taskId)) return sha;
  }
  return null;
}

export function commitMessage(subject: string, c: Omit<TaskCommit, "message">): string {
  return `${subject}\n\nRun: ${c.runId}\nTask: ${c.taskId}\nAgent: ${c.agent.slug}\n`;
}

/**
 * Merges a task's work (a snapshot whose history leads back to the base it started from) into
 * the branch as one commit authored by the agent: a 3-way merge done by `merge-tree` without a
 * working tree, then a compare-and-swap of the branch ref, retried when another task moved it.
 * Conflicts are reported, nothing is written; a task that changed nothing gets no commit.
 */
export async function mergeTaskWork(
  origin: string,
  branch: string,
  snapshot: string,
  commit: TaskCommit,
): Promise<MergeOutcome> {
  const ref = branchRef(branch);
  for (let tries = 0; tries < 5; tries++) {
    const head = await resolveCommit(origin, ref);
    if (!head) throw new Error(`The run branch ${branch} is missing in the origin.`);
    const merged = await gitBare(
      origin,
      ["merge-tree", "--write-tree", "--name-only", "-z", "--no-messages", head, snapshot],
      { okCodes: [1] },
    );
    const [tree = "", ...rest] = merged.stdout.split("\0");
    if (merged.code === 1) {
      return { kind: "conflict", head, tree, files: [...new Set(rest.filter(Boolean))] };
    }
    if (tree === (await treeOf(origin, head))) return { kind: "empty", sha: head };
    const { stdout } = await gitBare(origin, ["commit-tree", tree, "-p", head, "-F", "-"], {
      input: commit.message,
      env: {
        GIT_AUTHOR_NAME: `${commit.agent.name} (DafnckMachine)`,
        GIT_AUTHOR_EMAIL: `${commit.agent.slug}@agents.dafnckmachine.local`,
      },
    });
    const sha = stdout.trim();
    const swapped = await gitBare(origin, ["update-ref", ref, sha, head], { okCodes: [128, 1] });
    if (swapped.code !== 0) continue;
    const { stdout: names } = await gitBare(origin, [
      "diff-tree",
      "--no-commit-id",
      "--name-only",
      "-r",
      "-z",
      head,
      sha,
    ]);
    return { kind: "committed", sha, files: names.split("\0").filter(Boolean).length };
  }
  throw new Error(`The run branch ${branch} kept moving; the merge gave up after 5 tries.`);
}
