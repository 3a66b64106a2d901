/** What a commit's trailers say about the run, task and agent that made it. */
export type CommitTrailers = { runId: string | null; taskId: string | null; agentSlug: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Reads `Run:`, `Task:` and `Agent:` from the trailer block git extracted
 * (`%(trailers:only,unfold)`): one `Key: value` per line, the last one winning. Values that are not
 * ids or slugs are dropped, so a hand-written commit cannot link to something odd.
 */
export function parseTrailers(block: string): CommitTrailers {
  const out: CommitTrailers = { runId: null, taskId: null, agentSlug: null };
  for (const line of block.split("\n")) {
    const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const key = (m[1] ?? "").toLowerCase();
    const value = m[2] ?? "";
    if (key === "run" && UUID.test(value)) out.runId = value.toLowerCase();
    else if (key === "task" && UUID.test(value)) out.taskId = value.toLowerCase();
    else if (key === "agent" && SLUG.test(value)) out.agentSlug = value;
  }
  return out;
}

/** The commit message without its trailer block (what a reader wants to see). */
export function stripTrailers(message: string, block: string): string {
  const body = message.replace(/\s+$/, "");
  const trailers = block.replace(/\s+$/, "");
  if (trailers && body.endsWith(trailers)) return body.slice(0, -trailers.length).replace(/\s+$/, "");
  return body;
}
