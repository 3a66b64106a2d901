import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { runStepResults } from "@/db/schema";
import { inTenant } from "./state";
import type { RunScope } from "./types";

/**
 * Exactly-once effects for at-least-once steps. `key` names one step of one function run
 * (`<inngest run id>:<step id>`); a body that runs again finds the result its first execution
 * committed together with its effects, and returns it instead of acting twice.
 */
export type StepKey = string;

async function selectStored(tx: Tx, scope: RunScope, key: StepKey) {
  const [row] = await tx
    .select({ result: runStepResults.result })
    .from(runStepResults)
    .where(
      and(
        eq(runStepResults.orgId, scope.orgId),
        eq(runStepResults.runId, scope.runId),
        eq(runStepResults.key, key),
      ),
    )
    .limit(1);
  return row;
}

/** The stored result of a step, if its effects already committed. */
export async function storedResult<T>(scope: RunScope, key: StepKey): Promise<{ result: T } | null> {
  const row = await inTenant(scope, (tx) => selectStored(tx, scope, key));
  return row ? { result: row.result as T } : null;
}

/**
 * Runs `fn` in a tenant transaction unless the step already committed, and stores its result in
 * the same transaction. Two concurrent executions of one step are serialized by an advisory lock.
 */
export async function once<T>(scope: RunScope, key: StepKey, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTenant(scope, (tx) => onceIn(tx, scope, key, fn));
}

/** `once` inside a transaction the caller holds. */
export async function onceIn<T>(
  tx: Tx,
  scope: RunScope,
  key: StepKey,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`step:${scope.runId}:${key}`}))`);
  const row = await selectStored(tx, scope, key);
  if (row) return row.result as T;
  const result = await fn(tx);
  await tx
    .insert(runStepResults)
    .values({ orgId: scope.orgId, runId: scope.runId, key, result: (result ?? null) as unknown });
  return result;
}

const NAMESPACE = "dafnck-run-step";

/**
 * A uuid derived from its parts (RFC 4122 version 5 layout over SHA-1), so a re-executed step
 * writes the row its first execution wrote and `on conflict do nothing` drops the copy.
 */
export function derivedId(...parts: (string | number)[]): string {
  const hash = createHash("sha1").update(NAMESPACE).update("\u0000").update(parts.join("\u0000")).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
