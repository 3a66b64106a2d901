/**
 * Sandbox overhead (npm run bench:sandbox): start-to-exit of `true` in the bubblewrap sandbox
 * (with its cgroup, and in the prlimit-only fallback where allowed) against spawning it directly, and of a
 * check-like command (`node --test` on a one-test fixture) in the sandbox against running it
 * directly. Sequential runs; p50 / p95.
 *
 *   BENCH_RUNS=50 (true), BENCH_CHECK_RUNS=20 (node --test)
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { bubblewrapDriver, probeBubblewrap } from "@/lib/sandbox/bubblewrap";
import type { SandboxDriver } from "@/lib/sandbox/types";

const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const CHECK_RUNS = Number(process.env.BENCH_CHECK_RUNS ?? 20);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;

/** The same command spawned directly: /bin/sh -c, in the folder, a minimal environment. */
function direct(dir: string, command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", command], {
      cwd: dir,
      env: { PATH: "/usr/bin:/bin", HOME: "/tmp", LANG: "C.UTF-8" } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.resume();
    child.stderr.resume();
    child.once("error", reject);
    child.once("close", (code) => resolve(code ?? -1));
  });
}

async function measure(runs: number, fn: () => Promise<number>): Promise<number[]> {
  const xs: number[] = [];
  await fn(); // warm-up (page cache, the bwrap feature probe)
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const code = await fn();
    xs.push(performance.now() - t);
    if (code !== 0) throw new Error(`exit ${code}`);
  }
  return xs;
}

const inSandbox = (driver: SandboxDriver, dir: string, command: string) => async () => {
  const r = await driver.run({ dir, command });
  if (r.exitCode !== 0)
    throw new Error(`${command}: ${r.outcome}, exit ${r.exitCode}: ${r.output.slice(-300)}`);
  return 0;
};

async function main() {
  const probe = await probeBubblewrap();
  if (!probe.ok) {
    console.log(`bubblewrap unavailable here (${probe.reason}); nothing to measure`);
    return;
  }
  const dir = await mkdtemp(path.join(tmpdir(), "dm-bench-sandbox-"));
  try {
    await writeFile(
      path.join(dir, "sum.test.js"),
      'const test = require("node:test");\nconst assert = require("node:assert");\ntest("adds", () => assert.equal(1 + 1, 2));\n',
    );
    const sandbox = bubblewrapDriver();
    const fallback = bubblewrapDriver({ cgroups: false });
    const check = "node --test sum.test.js";
    const rows: [string, number[]][] = [];
    rows.push([`true, direct (${RUNS} runs)`, await measure(RUNS, () => direct(dir, "true"))]);
    rows.push([`true, bubblewrap + cgroup`, await measure(RUNS, inSandbox(sandbox, dir, "true"))]);
    // Without a pids cgroup the driver refuses a root-run app (no process limit would hold).
    const noCgroup = await measure(RUNS, inSandbox(fallback, dir, "true")).catch((error: Error) => {
      console.log(`no-cgroup fallback: ${error.message}`);
      return null;
    });
    if (noCgroup) rows.push([`true, bubblewrap, no cgroup`, noCgroup]);
    rows.push([
      `node --test, direct (${CHECK_RUNS} runs)`,
      await measure(CHECK_RUNS, () => direct(dir, check)),
    ]);
    rows.push([
      `node --test, bubblewrap + cgroup`,
      await measure(CHECK_RUNS, inSandbox(sandbox, dir, check)),
    ]);

    const width = Math.max(...rows.map(([label]) => label.length));
    console.log(`${"".padEnd(width)}  ${"p50".padStart(8)}  ${"p95".padStart(8)}`);
    for (const [label, xs] of rows) {
      console.log(`${label.padEnd(width)}  ${ms(pct(xs, 50)).padStart(8)}  ${ms(pct(xs, 95)).padStart(8)}`);
    }
    const p50 = (label: string) => pct(rows.find(([l]) => l.startsWith(label))?.[1] ?? [], 50);
    const [t0, t1] = [p50("true, direct"), p50("true, bubblewrap + cgroup")];
    const [c0, c1] = [p50("node --test, direct"), p50("node --test, bubblewrap")];
    console.log(
      `sandbox overhead (p50): true +${ms(t1 - t0)}; node --test +${ms(c1 - c0)} (${((c1 / c0 - 1) * 100).toFixed(0)}%)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
