import { describe, expect, it } from "vitest";
import { checkLine, checksSection, failureFeedback, isDocumentationPath } from "./feedback";

const row = (over: Partial<Parameters<typeof failureFeedback>[0][number]> = {}) => ({
  kind: "test" as const,
  command: "npm test",
  status: "failed" as const,
  exitCode: 1,
  durationMs: 1234,
  counts: { format: "tap" as const, passed: 4, failed: 1, skipped: 0, total: 5 },
  reason: "Exited with code 1.",
  log: `${Array.from({ length: 200 }, (_, i) => `line ${i}`).join("\n")}\nnot ok 5 - adds two numbers\n`,
  ...over,
});

describe("check feedback", () => {
  it("sends the failing checks back with the end of their output", () => {
    const text = failureFeedback(
      [row(), row({ kind: "build", command: "npm run build", status: "passed" })],
      "a".repeat(40),
    );
    expect(text).toContain("The checks failed on your commit aaaaaaaaaaaa:");
    expect(text).toContain("test `npm test`: failed — 4 passed, 1 failed (1.2 s) Exited with code 1.");
    expect(text).toContain("not ok 5 - adds two numbers");
    expect(text).not.toContain("line 0\n");
    expect(text).not.toContain("npm run build");
  });

  it("lists every check for the reviewer", () => {
    expect(checksSection([row({ status: "passed", reason: null, counts: null })])).toBe(
      "## Checks\n\n- test `npm test`: passed (1.2 s)",
    );
    expect(checksSection([])).toBe("");
    expect(checkLine(row({ status: "skipped", reason: "No sandbox." }))).toContain("skipped");
  });

  it("tells documentation from code", () => {
    for (const p of ["docs/prd/x.md", "README.md", "notes.txt", "src/CHANGELOG", "LICENSE"]) {
      expect(isDocumentationPath(p)).toBe(true);
    }
    for (const p of ["src/index.js", "package.json", "test/a.test.js", "docsify.config.js", "Makefile"]) {
      expect(isDocumentationPath(p)).toBe(false);
    }
  });
});
