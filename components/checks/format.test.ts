import { describe, expect, it } from "vitest";
import { NO_SANDBOX_MESSAGE } from "@/lib/checks/kinds";
import {
  checkReason,
  checkTone,
  driverLabel,
  findMatches,
  formatCheckDuration,
  formatCounts,
  formatOutcome,
  tailLines,
} from "./format";

describe("check display words", () => {
  it("colours passed green, failed red, the rest grey", () => {
    expect(["passed", "failed", "error", "skipped"].map((s) => checkTone(s as never))).toEqual([
      "passed",
      "failed",
      "neutral",
      "neutral",
    ]);
  });

  it("writes counts as `12 passed · 1 failed`, nothing when none were reported", () => {
    expect(formatCounts({ passed: 12, failed: 1 })).toBe("12 passed · 1 failed");
    expect(formatCounts({ passed: 3, failed: 0, skipped: 2 })).toBe("3 passed · 2 skipped");
    expect(formatCounts({ passed: null, failed: null })).toBeNull();
  });

  it("writes durations for short and long commands", () => {
    expect(formatCheckDuration(250)).toBe("250 ms");
    expect(formatCheckDuration(3_420)).toBe("3.4 s");
    expect(formatCheckDuration(125_000)).toBe("2m 05s");
  });

  it("labels the host driver unsandboxed and a skipped check without sandbox with the message", () => {
    expect(driverLabel("host")).toBe("unsandboxed");
    expect(driverLabel("bubblewrap")).toBeNull();
    expect(checkReason({ status: "skipped", driver: "none" })).toBe(NO_SANDBOX_MESSAGE);
    expect(checkReason({ status: "skipped", sandboxUnavailable: true })).toBe(NO_SANDBOX_MESSAGE);
    expect(checkReason({ status: "skipped", driver: "bubblewrap" })).toBeNull();
    expect(checkReason({ status: "failed", reason: "Killed at the wall-time limit" })).toBe(
      "Killed at the wall-time limit",
    );
  });

  it("says how a command ended", () => {
    expect(formatOutcome("exited", 0)).toBe("exit 0");
    expect(formatOutcome("wall_time", null)).toBe("killed at the wall-time limit");
    expect(formatOutcome("something_new", null)).toBe("something new");
  });

  it("keeps the last lines of an output and counts the rest", () => {
    expect(tailLines("a\nb\nc\nd\n", 2)).toEqual({ hidden: 2, lines: ["c", "d"] });
    expect(tailLines("a\nb", 5)).toEqual({ hidden: 0, lines: ["a", "b"] });
    expect(tailLines("", 5)).toEqual({ hidden: 0, lines: [] });
  });

  it("finds every match in the lines, case-insensitively", () => {
    expect(findMatches(["not ok 1", "ok 2 NOT OK", "fine"], "not ok")).toEqual([
      { line: 0, start: 0, end: 6 },
      { line: 1, start: 5, end: 11 },
    ]);
    expect(findMatches(["aaaa"], "aa")).toHaveLength(2);
    expect(findMatches(["x"], "")).toEqual([]);
    expect(findMatches(["a a a"], "a", 2)).toHaveLength(2);
  });
});
