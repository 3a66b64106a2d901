import { and, eq } from "drizzle-orm";
import { withTenant } from "@/db";
import { checks } from "@/db/schema";
import { appendRunEvents } from "@/lib/runs/event-log";
import type { CheckCounts, CheckKind, CheckScope, CheckStatus, SandboxDriverName } from "./kinds";
import { storableOutput } from "./sanitize";

export type CheckRow = typeof checks.$inferSelect;

/** Where a check belongs: the run, task and attempt (when any), the commit, and the step recording it. */
export type CheckTarget = {
  orgId: string;
  projectId: string;
  runId: string | null;
  taskId: string | null;
  attempt: number | null;
  scope: CheckScope;
  branch: string;
  commitSha: string | null;
  /** The durable step that records the checks: a re-run finds its rows instead of adding more. */
  stepKey: string;
};

export type CheckValues = {
  kind: CheckKind;
  command: string;
  status: CheckStatus;
  exitCode: number | null;
  durationMs: number;
  counts: CheckCounts | null;
  log: string;
  outputBytes: number;
  truncated: boolean;
  driver: SandboxDriverName;
  network: boolean;
  reason: string | null;
  cpuMs: number | null;
  maxRssKb: number | null;
};

/** The check a step already recorded for a kind, if any. */
export async function findCheck(target: CheckTarget, kind: CheckKind): Promise<CheckRow | null> {
  const [row] = await withTenant({ orgId: target.orgId }, (tx) =>
    tx
      .select()
      .from(checks)
      .where(and(eq(checks.orgId, target.orgId), eq(checks.stepKey, target.stepKey), eq(checks.kind, kind)))
      .limit(1),
  );
  return row ?? null;
}

/**
 * Stores one check with its `check.recorded` event, in one transaction. Exactly once per step and
 * kind: a step run again (a crash, a retry) gets the row its first run stored, not a second one.
 */
export async function recordCheck(target: CheckTarget, values: CheckValues): Promise<CheckRow> {
  return withTenant({ orgId: target.orgId }, async (tx) => {
    const [inserted] = await tx
      .insert(checks)
      .values({
        orgId: target.orgId,
        projectId: target.projectId,
        runId: target.runId,
        taskId: target.taskId,
        attempt: target.attempt,
        scope: target.scope,
        branch: target.branch,
        commitSha: target.commitSha,
        stepKey: target.stepKey,
        ...values,
        command: values.command.slice(0, 4000),
        log: storableOutput(values.log),
        reason: values.reason?.slice(0, 2000) ?? null,
        durationMs: Math.round(values.durationMs),
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted) {
      const [existing] = await tx
        .select()
        .from(checks)
        .where(
          and(
            eq(checks.orgId, target.orgId),
            eq(checks.stepKey, target.stepKey),
            eq(checks.kind, values.kind),
          ),
        )
        .limit(1);
      if (!existing) throw new Error("check row vanished");
      return existing;
    }
    if (target.runId) {
      await appendRunEvents(tx, { orgId: target.orgId, runId: target.runId }, [
        {
          type: "check.recorded",
          checkId: inserted.id,
          taskId: target.taskId,
          attempt: target.attempt,
          scope: target.scope,
          kind: inserted.kind,
          command: inserted.command,
          status: inserted.status,
          exitCode: inserted.exitCode,
          durationMs: inserted.durationMs,
          passed: inserted.counts?.passed ?? null,
          failed: inserted.counts?.failed ?? null,
          commitSha: inserted.commitSha,
        },
      ]);
    }
    return inserted;
  });
}
