/**
 * Refs the run machinery keeps in a project's origin (outside `refs/heads`, so no branch list
 * shows them). Built only from ids the database issued.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function ids(...values: string[]): void {
  for (const v of values) if (!UUID.test(v)) throw new Error("ref parts must be ids");
}

/** The working tree after model call `n` of one attempt of a task. */
export function callSnapshotRef(runId: string, taskId: string, attempt: number, n: number): string {
  ids(runId, taskId);
  return `refs/dm/snap/${runId}/${taskId}/a${attempt}/c${n}`;
}

/** Where an attempt starts when a merge conflict sent the task back (its changes merged with markers). */
export function attemptStartRef(runId: string, taskId: string, attempt: number): string {
  ids(runId, taskId);
  return `refs/dm/snap/${runId}/${taskId}/a${attempt}/start`;
}

/** A task's latest finished work (its last attempt's final snapshot): what a merge takes. */
export function taskWorkRef(runId: string, taskId: string): string {
  ids(runId, taskId);
  return `refs/dm/task/${runId}/${taskId}`;
}

export const branchRef = (branch: string) => `refs/heads/${branch}`;
