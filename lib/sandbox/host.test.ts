import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostDriver } from "./host";

describe("host driver (unsandboxed)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dm-host-test-"));
    process.env.FAKE_APP_SECRET_FOR_HOST_TEST = "s3cr3t-host-value";
  });
  afterAll(async () => {
    delete process.env.FAKE_APP_SECRET_FOR_HOST_TEST;
    await rm(dir, { recursive: true, force: true });
  });

  it("runs in the tree with a clean environment and its own HOME, removed after", async () => {
    const r = await hostDriver().run({
      dir,
      command: "pwd; env; echo made > out.txt; echo $HOME",
      env: { CI: "1" },
    });
    expect(r).toMatchObject({ driver: "host", exitCode: 0, outcome: "exited" });
    const lines = r.output.trim().split("\n");
    expect(lines[0]).toBe(dir);
    expect(r.output).not.toContain("s3cr3t-host-value");
    expect(r.output).toContain("CI=1");
    expect(r.output).toContain("LANG=C.UTF-8");
    const names = lines.slice(1, -1).map((l) => l.split("=")[0]);
    expect(new Set(names)).toEqual(new Set(["PATH", "HOME", "TMPDIR", "LANG", "CI", "PWD"]));
    expect(await readFile(path.join(dir, "out.txt"), "utf8")).toBe("made\n");
    const home = lines.at(-1) ?? "";
    expect(home).toMatch(/dm-host-run-/);
    expect(existsSync(home)).toBe(false);
  });

  it("applies the CPU limit", async () => {
    const r = await hostDriver().run({
      dir,
      command: "while :; do :; done",
      limits: { cpuSeconds: 1, wallMs: 10_000 },
    });
    expect(r.outcome).toBe("cpu_time");
    expect(r.durationMs).toBeLessThan(8_000);
  });
});
