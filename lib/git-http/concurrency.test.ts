import { describe, expect, it } from "vitest";
import { acquireGitSlot, gitConcurrencyLimits, gitSlotsInUse } from "./concurrency";

describe("git process slots", () => {
  it("caps per org and globally; a release is idempotent and frees the slot", () => {
    const limits = { perOrg: 2, global: 3 };
    const a1 = acquireGitSlot("org-a", limits);
    const a2 = acquireGitSlot("org-a", limits);
    expect(a1 && a2).toBeTruthy();
    expect(acquireGitSlot("org-a", limits)).toBeNull();
    const b1 = acquireGitSlot("org-b", limits);
    expect(b1).toBeTruthy();
    // The server is full: another org is turned away too.
    expect(acquireGitSlot("org-c", limits)).toBeNull();
    a1?.();
    a1?.();
    expect(gitSlotsInUse("org-a")).toBe(1);
    expect(gitSlotsInUse()).toBe(2);
    const c1 = acquireGitSlot("org-c", limits);
    expect(c1).toBeTruthy();
    for (const release of [a2, b1, c1]) release?.();
    expect(gitSlotsInUse()).toBe(0);
  });

  it("reads its limits from the environment, else 4 per org and 16 in all", () => {
    const saved = { ...process.env };
    try {
      delete process.env.GIT_HTTP_MAX_CONCURRENCY_PER_ORG;
      delete process.env.GIT_HTTP_MAX_CONCURRENCY;
      expect(gitConcurrencyLimits()).toEqual({ perOrg: 4, global: 16 });
      process.env.GIT_HTTP_MAX_CONCURRENCY_PER_ORG = "2";
      process.env.GIT_HTTP_MAX_CONCURRENCY = "nope";
      expect(gitConcurrencyLimits()).toEqual({ perOrg: 2, global: 16 });
    } finally {
      process.env = saved;
    }
  });
});
