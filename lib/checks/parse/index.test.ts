import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCheckCounts } from "./index";

/** Runs `node --test` in a temp folder with stdout a pipe, as a check does; resolves its output. */
function nodeTest(dir: string, args: string[] = []): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--test", ...args],
      // Nothing of vitest's environment (NODE_OPTIONS, loaders) leaks into the child.
      { cwd: dir, env: { NODE_ENV: "test" } },
      (error: (Error & { code?: unknown }) | null, stdout: string) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    );
  });
}

describe("parseCheckCounts on real node --test output", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dm-parse-"));
    await writeFile(
      path.join(dir, "sum.test.mjs"),
      [
        'import test from "node:test";',
        'import assert from "node:assert/strict";',
        'test("adds", () => assert.equal(1 + 1, 2));',
        'test("subtracts", () => assert.equal(3 - 1, 1));',
      ].join("\n"),
    );
    await writeFile(
      path.join(dir, "suite.test.mjs"),
      [
        'import { describe, it } from "node:test";',
        'describe("strings", () => {',
        '  it("joins", () => {});',
        '  it("splits", () => {});',
        '  it("later", { skip: "not yet" }, () => {});',
        "});",
      ].join("\n"),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reads the summary node --test prints to a pipe", async () => {
    const { code, stdout } = await nodeTest(dir);
    expect(code).toBe(1);
    expect(stdout).toContain("TAP version 13");
    expect(parseCheckCounts(stdout)).toEqual({
      format: "tap",
      passed: 3,
      failed: 1,
      skipped: 1,
      total: 5,
    });
  });

  it("counts the test points when the summary is cut off (a truncated log)", async () => {
    const { stdout } = await nodeTest(dir);
    const head = stdout.slice(0, stdout.indexOf("\n# tests"));
    // The suite's own point is not a test: its three children are.
    expect(parseCheckCounts(head)).toEqual({
      format: "tap",
      passed: 3,
      failed: 1,
      skipped: 1,
      total: 5,
    });
  });

  it("reads the spec reporter's summary", async () => {
    const { stdout } = await nodeTest(dir, ["--test-reporter=spec"]);
    expect(parseCheckCounts(stdout)).toMatchObject({ passed: 3, failed: 1, skipped: 1, total: 5 });
  });

  it("reads a passing run as all passed", async () => {
    const { code, stdout } = await nodeTest(dir, ["suite.test.mjs"]);
    expect(code).toBe(0);
    expect(parseCheckCounts(stdout)).toEqual({
      format: "tap",
      passed: 2,
      failed: 0,
      skipped: 1,
      total: 3,
    });
  });
});

describe("parseCheckCounts on TAP", () => {
  it("counts points with SKIP and TODO directives, ignoring YAML blocks", () => {
    const tap = [
      "TAP version 13",
      "1..5",
      "ok 1 - first",
      "not ok 2 - second",
      "  ---",
      "  message: 'ok 3 - this is not a point'",
      "  ...",
      "ok 3 - third # SKIP no network",
      "not ok 4 - fourth # TODO write it",
      "ok 5",
      "# a comment",
    ].join("\n");
    expect(parseCheckCounts(tap)).toEqual({
      format: "tap",
      passed: 2,
      failed: 1,
      skipped: 2,
      total: 5,
    });
  });

  it("counts cancelled tests as failed and todo as skipped in node's summary", () => {
    const out = "# tests 6\n# suites 0\n# pass 2\n# fail 1\n# cancelled 1\n# skipped 1\n# todo 1\n";
    expect(parseCheckCounts(out)).toEqual({
      format: "tap",
      passed: 2,
      failed: 2,
      skipped: 2,
      total: 6,
    });
  });

  it("adds up two summary blocks (two runs in one log)", () => {
    const one = "# tests 2\n# pass 2\n# fail 0\n";
    const two = "# tests 3\n# pass 1\n# fail 2\n";
    expect(parseCheckCounts(`${one}npm run test:e2e\n${two}`)).toMatchObject({
      passed: 3,
      failed: 2,
      total: 5,
    });
  });

  it("does not take stray `ok` lines for TAP", () => {
    expect(parseCheckCounts("ok 1 thing\nnot ok here\n")).toBeNull();
  });
});

describe("parseCheckCounts on JUnit XML", () => {
  it("reads the testsuites attributes", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="7" failures="1" errors="1" skipped="2" time="1.2">
  <testsuite name="a" tests="7" failures="1" errors="1" skipped="2">
    <testcase classname="a" name="x" time="0.1"><failure message="boom">stack</failure></testcase>
  </testsuite>
</testsuites>`;
    expect(parseCheckCounts(xml)).toEqual({
      format: "junit",
      passed: 3,
      failed: 2,
      skipped: 2,
      total: 7,
    });
  });

  it("adds up the outermost testsuite elements when there is no root count", () => {
    const xml = `<testsuites>
<testsuite name="a" tests='3' failures='1' skipped='0'>
  <testsuite name="nested" tests="2" failures="1"/>
</testsuite>
<testsuite name="b" tests="2" failures="0" errors="0" disabled="1"></testsuite>
</testsuites>`;
    expect(parseCheckCounts(xml)).toEqual({
      format: "junit",
      passed: 3,
      failed: 1,
      skipped: 1,
      total: 5,
    });
  });

  it("counts testcase elements by their children when suites carry no counts", () => {
    const xml = `<testsuite name="pytest">
  <testcase name="a"/>
  <testcase name="b"><failure message="x"><![CDATA[<testcase name="fake"/>]]></failure></testcase>
  <testcase name="c"><error message="y"/></testcase>
  <testcase name="d"><skipped/></testcase>
  <testcase name="e" time="0.1"><system-out>hi</system-out></testcase>
</testsuite>`;
    expect(parseCheckCounts(xml)).toEqual({
      format: "junit",
      passed: 2,
      failed: 2,
      skipped: 1,
      total: 5,
    });
  });
});

describe("parseCheckCounts on summary lines", () => {
  const plain = (passed: number, failed: number, skipped: number, total: number) => ({
    format: "plain",
    passed,
    failed,
    skipped,
    total,
  });

  it("reads jest", () => {
    const out = `PASS src/a.test.js
FAIL src/b.test.js
Test Suites: 1 failed, 1 passed, 2 total
Tests:       1 failed, 1 skipped, 3 passed, 5 total
Snapshots:   0 total
Time:        1.234 s`;
    expect(parseCheckCounts(out)).toEqual(plain(3, 1, 1, 5));
  });

  it("reads vitest, colours and all", () => {
    const out =
      " \u001b[2m Test Files \u001b[22m \u001b[1m\u001b[31m1 failed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[1m\u001b[32m1 passed\u001b[39m\u001b[22m\u001b[90m (2)\u001b[39m\n" +
      " \u001b[2m      Tests \u001b[22m \u001b[1m\u001b[32m3 passed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[1m\u001b[31m1 failed\u001b[39m\u001b[22m\u001b[90m (4)\u001b[39m\n" +
      " \u001b[2m   Start at \u001b[22m 10:00:00\n";
    expect(parseCheckCounts(out)).toEqual(plain(3, 1, 0, 4));
  });

  it("reads pytest", () => {
    const out = `============================= test session starts ==============================
collected 6 items

test_app.py ..F.sx                                                       [100%]

=================================== FAILURES ===================================
___________________________________ test_two ___________________________________
FAILED test_app.py::test_two - assert 1 == 2
============ 1 failed, 3 passed, 1 skipped, 1 xfailed, 2 warnings in 0.12s =============`;
    expect(parseCheckCounts(out)).toEqual(plain(3, 1, 2, 6));
  });

  it("reads mocha", () => {
    const out = `  math
    ✓ adds
    1) divides


  3 passing (12ms)
  2 pending
  1 failing

  1) math
       divides:
     AssertionError: 10 passed is not 2 failed`;
    expect(parseCheckCounts(out)).toEqual(plain(3, 1, 2, 6));
  });

  it("adds up cargo's per-binary results", () => {
    const out = `running 4 tests
test a ... ok
test b ... FAILED
test result: FAILED. 3 passed; 1 failed; 1 ignored; 0 measured; 2 filtered out; finished in 0.01s

running 2 tests
test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s`;
    expect(parseCheckCounts(out)).toEqual(plain(5, 1, 1, 7));
  });

  it("reads go test -v, top-level tests only", () => {
    const out = `=== RUN   TestAdd
--- PASS: TestAdd (0.00s)
=== RUN   TestTable
    --- PASS: TestTable/one (0.00s)
    --- FAIL: TestTable/two (0.00s)
--- FAIL: TestTable (0.00s)
--- SKIP: TestSlow (0.00s)
FAIL
FAIL	example.com/m	0.005s`;
    expect(parseCheckCounts(out)).toEqual(plain(1, 1, 1, 3));
  });

  it("reads a bare `N passed, N failed` line, the last one", () => {
    expect(parseCheckCounts("round 1: 2 passed, 2 failed\nround 2: 4 passed, 0 failed\n")).toEqual(
      plain(4, 0, 0, 4),
    );
  });

  it("returns null when the output reports no counts", () => {
    expect(parseCheckCounts("")).toBeNull();
    expect(parseCheckCounts("> tsc --noEmit\nsrc/a.ts(1,1): error TS2304\n")).toBeNull();
    expect(parseCheckCounts("Compiled successfully in 2.1s\n")).toBeNull();
  });
});
