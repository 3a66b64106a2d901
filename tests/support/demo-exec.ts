import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { tool } from "ai";
import {
  execToolInputSchemas,
  type RunChecksOutput,
  type RunCommandOutput,
} from "@/lib/checks/tools/schemas";

/**
 * Running the demo program's commands for real in tests, without the sandbox: a child process in
 * the working tree with a small environment (PATH to this node and npm, a throwaway HOME) and a
 * timeout. Stand-ins for the run's `run_command` / `run_checks` tools, answering their shapes.
 */

export type CommandResult = { code: number | null; output: string; durationMs: number };

/** TAP summary counts of `node --test` (`# pass N`, `# fail N`). */
export function tapCounts(output: string): { passed: number; failed: number; total: number } | null {
  const n = (name: string) => {
    const m = new RegExp(`^# ${name} (\\d+)$`, "m").exec(output);
    return m ? Number(m[1]) : null;
  };
  const passed = n("pass");
  const failed = n("fail");
  const total = n("tests");
  return passed === null || failed === null || total === null ? null : { passed, failed, total };
}

export async function runIn(dir: string, command: string, timeoutMs = 60_000): Promise<CommandResult> {
  const home = await mkdtemp(path.join(tmpdir(), "dm-demo-home-"));
  const start = performance.now();
  try {
    return await new Promise((resolve) => {
      execFile(
        "/bin/sh",
        ["-c", command],
        {
          cwd: dir,
          timeout: timeoutMs,
          maxBuffer: 8 * 1024 * 1024,
          env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: home } as Record<
            string,
            string
          > as NodeJS.ProcessEnv,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
          resolve({ code, output: `${stdout}${stderr}`, durationMs: Math.round(performance.now() - start) });
        },
      );
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** The `run_command` and `run_checks` tools, executing in `dir` (the test command only: `npm test`). */
export function execTools(dir: string, calls: { command: string; result: CommandResult }[] = []) {
  return {
    run_command: tool({
      inputSchema: execToolInputSchemas.run_command,
      execute: async ({ command }): Promise<RunCommandOutput> => {
        const result = await runIn(dir, command);
        calls.push({ command, result });
        return {
          exitCode: result.code,
          outcome: "exited",
          durationMs: result.durationMs,
          output: result.output,
          truncated: false,
        };
      },
    }),
    run_checks: tool({
      inputSchema: execToolInputSchemas.run_checks,
      execute: async (): Promise<RunChecksOutput> => {
        const result = await runIn(dir, "npm test");
        calls.push({ command: "npm test", result });
        const counts = tapCounts(result.output);
        return {
          passed: result.code === 0,
          checks: [
            {
              kind: "test",
              command: "npm test",
              status: result.code === 0 ? "passed" : "failed",
              exitCode: result.code,
              durationMs: result.durationMs,
              counts: counts ? { ...counts, skipped: 0 } : null,
              output: result.output.slice(-4000),
            },
          ],
        };
      },
    }),
  };
}
