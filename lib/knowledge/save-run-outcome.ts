import { and, asc, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db";
import { approvals, artifacts, runs, users } from "@/db/schema";
import { saveTextDocument } from "./save-text-document";

/** How much of the run's summary the outcome keeps (the summary artifact stays whole in the run). */
const SUMMARY_MAX_CHARS = 12_000;
const COMMENT_MAX_CHARS = 600;

const oneLine = (text: string, max: number) => {
  const flat = text.trim().replace(/\s+/g, " ");
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
};

/**
 * Keeps a finished run's outcome in its project's knowledge (`run_outcome`, key `run:<id>`): its
 * goal, final status, summary and the decisions people made on its approvals, so a later run in
 * the project knows what was decided before. Idempotent: the same outcome again changes nothing,
 * a run that finishes again (a retried task) makes the next version.
 */
export async function saveRunOutcome(
  tx: Tx,
  scope: { orgId: string; runId: string },
): Promise<{ id: string; version: number; changed: boolean } | null> {
  const [run] = await tx
    .select()
    .from(runs)
    .where(and(eq(runs.orgId, scope.orgId), eq(runs.id, scope.runId)))
    .limit(1);
  if (!run) return null;
  const [summary] = run.summaryArtifactId
    ? await tx
        .select({ content: artifacts.content })
        .from(artifacts)
        .where(and(eq(artifacts.orgId, scope.orgId), eq(artifacts.id, run.summaryArtifactId)))
        .limit(1)
    : [];
  const decided = await tx
    .select({
      title: approvals.title,
      status: approvals.status,
      comment: approvals.comment,
      name: users.name,
      email: users.email,
    })
    .from(approvals)
    .leftJoin(users, eq(users.id, approvals.decidedById))
    .where(
      and(
        eq(approvals.orgId, scope.orgId),
        eq(approvals.runId, scope.runId),
        inArray(approvals.status, ["approved", "rejected"]),
      ),
    )
    .orderBy(asc(approvals.createdAt), asc(approvals.id));
  const label = run.number ? `Run #${run.number}` : "Run";
  const title = `${label}: ${oneLine(run.goal, 100)}`;
  const summaryText = summary?.content.trim()
    ? summary.content.trim().slice(0, SUMMARY_MAX_CHARS)
    : "No summary was written.";
  const decisions = decided.length
    ? decided.map((d) => {
        const who = d.name || d.email ? ` by ${d.name ?? d.email}` : "";
        const comment = d.comment?.trim() ? ` — “${oneLine(d.comment, COMMENT_MAX_CHARS)}”` : "";
        return `- ${oneLine(d.title, 200)}: ${d.status}${who}${comment}`;
      })
    : ["- No approvals were decided in this run."];
  const text = [
    `# ${title}`,
    "",
    `Status: ${run.status}${run.statusReason ? ` — ${oneLine(run.statusReason, 600)}` : ""}`,
    "",
    "## Goal",
    run.goal.trim(),
    "",
    "## Summary",
    // The summary's own headings sit below this one.
    summaryText.replace(/^(#{1,4}) /gm, "$1## "),
    "",
    "## Decisions",
    ...decisions,
  ].join("\n");
  return saveTextDocument(tx, {
    orgId: scope.orgId,
    projectId: run.projectId,
    source: "run_outcome",
    key: `run:${run.id}`,
    title,
    text,
    format: "markdown",
    tags: [run.status],
    runId: run.id,
  });
}
