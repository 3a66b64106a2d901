/** Defaults: git processes at once per org and in this server process. */
export const DEFAULT_GIT_CONCURRENCY = { perOrg: 4, global: 16 };

const positive = (value: string | undefined, fallback: number) => {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/** `GIT_HTTP_MAX_CONCURRENCY_PER_ORG` and `GIT_HTTP_MAX_CONCURRENCY`, else the defaults. */
export function gitConcurrencyLimits(): { perOrg: number; global: number } {
  return {
    perOrg: positive(process.env.GIT_HTTP_MAX_CONCURRENCY_PER_ORG, DEFAULT_GIT_CONCURRENCY.perOrg),
    global: positive(process.env.GIT_HTTP_MAX_CONCURRENCY, DEFAULT_GIT_CONCURRENCY.global),
  };
}

let inUse = 0;
const perOrg = new Map<string, number>();

/**
 * Takes one slot of the in-process semaphores (the org's and the server's) for a git request,
 * or null when either is full. The returned release is idempotent: call it on every exit path.
 */
export function acquireGitSlot(orgId: string, limits = gitConcurrencyLimits()): (() => void) | null {
  const org = perOrg.get(orgId) ?? 0;
  if (inUse >= limits.global || org >= limits.perOrg) return null;
  inUse += 1;
  perOrg.set(orgId, org + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    inUse -= 1;
    const left = (perOrg.get(orgId) ?? 1) - 1;
    if (left > 0) perOrg.set(orgId, left);
    else perOrg.delete(orgId);
  };
}

/** Slots in use (tests). */
export function gitSlotsInUse(orgId?: string): number {
  return orgId ? (perOrg.get(orgId) ?? 0) : inUse;
}
