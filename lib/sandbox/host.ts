import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { assertWorkingTree, countTasksOfUid, NO_PROCESS_LIMIT_MESSAGE } from "./bubblewrap";
import { createRunCgroup } from "./cgroup";
import { prlimitArgs, resolveLimits, SandboxRequestError, sandboxEnv } from "./limits";
import { supervise } from "./supervise";
import type { SandboxDriver, SandboxRequest, SandboxResult } from "./types";

/**
 * NOT a sandbox: runs the command directly on this machine as the app's user, for a single-user
 * install whose operator set DANGEROUSLY_RUN_AGENT_CODE_ON_HOST=1 (resolveSandbox offers it only
 * then, marked unsafe). The command can read and write whatever that user can and reach the
 * network. What it still gets: a clean environment (nothing of the app's), its own HOME/TMPDIR,
 * prlimit's CPU/memory/file-size/process limits, a cgroup where possible, and the wall-time kill
 * of its process group.
 */

const PRLIMIT = "/usr/bin/prlimit";

export function hostEnv(request: Pick<SandboxRequest, "env">, home: string): Record<string, string> {
  // The app's own node first, then the usual places (single-user installs keep toolchains there).
  const nodeBin = path.dirname(process.execPath);
  const base = {
    PATH: [nodeBin, "/usr/local/bin", "/usr/bin", "/bin"]
      .filter((p, i, all) => all.indexOf(p) === i)
      .join(":"),
    HOME: home,
    TMPDIR: home,
    LANG: "C.UTF-8",
  };
  return sandboxEnv(request, base);
}

export function hostDriver(): SandboxDriver {
  return {
    name: "host",
    async run(request: SandboxRequest): Promise<SandboxResult> {
      const limits = resolveLimits(request.limits);
      const dir = await assertWorkingTree(request.dir);
      const home = await mkdtemp(path.join(tmpdir(), "dm-host-run-"));
      const cgroup = await createRunCgroup(limits);
      try {
        // As in the bubblewrap driver: nothing would bound a root-run fork bomb without a pids cgroup.
        if (!cgroup?.controllers.pids && process.getuid?.() === 0) {
          throw new SandboxRequestError(NO_PROCESS_LIMIT_MESSAGE);
        }
        const env = hostEnv(request, home);
        let argv: string[];
        if (existsSync(PRLIMIT)) {
          const nproc =
            cgroup?.controllers.pids || process.getuid === undefined
              ? undefined
              : countTasksOfUid(process.getuid()) + limits.processes;
          argv = [PRLIMIT, ...prlimitArgs(limits, nproc), "--", "/bin/sh", "-c", request.command];
        } else {
          // No util-linux (macOS): the CPU limit at least, which every shell's ulimit knows.
          argv = [
            "/bin/sh",
            "-c",
            `ulimit -t ${limits.cpuSeconds} 2>/dev/null; exec /bin/sh -c "$1"`,
            "sh",
            request.command,
          ];
        }
        return await supervise({
          driver: "host",
          argv,
          env,
          cwd: dir,
          limits,
          cgroup,
          signal: request.signal,
          onOutput: request.onOutput,
        });
      } finally {
        await cgroup?.remove();
        await rm(home, { recursive: true, force: true });
      }
    },
  };
}
