import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { promisify } from "node:util";
import { dockerClientEnv, sandboxSettings } from "@/lib/env";
import { assertWorkingTree } from "./bubblewrap";
import {
  FILE_SIZE_LIMIT_BYTES,
  readOnlyPaths,
  resolveLimits,
  SANDBOX_BASE_ENV,
  SandboxRequestError,
  sandboxEnv,
} from "./limits";
import { supervise } from "./supervise";
import type { SandboxDriver, SandboxLimits, SandboxRequest, SandboxResult } from "./types";

/**
 * The docker driver, for production hosts: `docker run --rm --network none --read-only` with the
 * working tree bind-mounted at /work, memory, CPU and process limits, no capabilities, an image
 * per project. Only the command it builds is tested (these machines have no Docker engine).
 */

const execFileAsync = promisify(execFile);

/** A well-known image with Node 20 and Python 3.12 (Docker Hub, nikolaik/python-nodejs). */
export const DEFAULT_DOCKER_IMAGE = "nikolaik/python-nodejs:python3.12-nodejs20";
const DOCKER_CANDIDATES = ["/usr/bin/docker", "/usr/local/bin/docker", "/bin/docker"];
/** CPU cores a container may use at once (its CPU time is limited by RLIMIT_CPU). */
export const DOCKER_CPUS = 1;
/** The user the command runs as when the working tree is root's (else its owner). */
export const DOCKER_FALLBACK_USER = "65534:65534";

export type DockerArgsOptions = {
  /** --name, so a wall-time kill can find the container. */
  name: string;
  /** uid:gid inside the container (default 65534:65534). */
  user?: string;
};

/** `docker` arguments (after the program name) for one command. Pure. */
export function dockerArgs(
  request: Pick<SandboxRequest, "dir" | "command" | "network" | "env" | "readOnlyPaths">,
  limits: SandboxLimits,
  image: string,
  options: DockerArgsOptions,
): string[] {
  // The image's own PATH is kept (its node and python live in /usr/local/bin).
  const { PATH: _path, ...base } = SANDBOX_BASE_ENV;
  const env = sandboxEnv(request, base);
  // --mount is a CSV list: a comma or quote in the path would change its meaning.
  if (/[,"\n]/.test(request.dir))
    throw new SandboxRequestError("The working tree's path has a comma or quote");
  const args = ["run", "--rm", "--name", options.name, "--pull", "missing"];
  args.push("--network", request.network ? "bridge" : "none");
  args.push("--read-only", "--tmpfs", `/tmp:rw,nosuid,nodev,size=${limits.memoryBytes}`);
  args.push("--mount", `type=bind,src=${request.dir},dst=/work`, "--workdir", "/work");
  for (const p of readOnlyPaths(request)) args.push("--mount", `type=bind,src=${p},dst=${p},readonly`);
  args.push("--memory", `${limits.memoryBytes}b`, "--memory-swap", `${limits.memoryBytes}b`);
  args.push("--cpus", String(DOCKER_CPUS), "--pids-limit", String(limits.processes));
  args.push("--ulimit", `cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`);
  args.push("--ulimit", `fsize=${FILE_SIZE_LIMIT_BYTES}`, "--ulimit", "core=0");
  args.push("--user", options.user ?? DOCKER_FALLBACK_USER);
  args.push("--cap-drop", "ALL", "--security-opt", "no-new-privileges");
  args.push("--log-driver", "none");
  for (const [name, value] of Object.entries(env)) args.push("-e", `${name}=${value}`);
  args.push("--entrypoint", "/bin/sh", image, "-c", request.command);
  return args;
}

/** SANDBOX_DOCKER_IMAGE, else DEFAULT_DOCKER_IMAGE. */
export function defaultDockerImage(): string {
  return sandboxSettings().dockerImage ?? DEFAULT_DOCKER_IMAGE;
}

export function findDocker(): string | null {
  return DOCKER_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** The docker CLI's environment: PATH and the daemon's address/config only, never the app's. */
function cliEnv(): NodeJS.ProcessEnv {
  const env = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: homedir(), ...dockerClientEnv() };
  return env as unknown as NodeJS.ProcessEnv;
}

/** The working tree's owner runs the command (so it can write there), unless that is root. */
async function containerUser(dir: string): Promise<string> {
  const st = await stat(dir);
  return st.uid === 0 ? DOCKER_FALLBACK_USER : `${st.uid}:${st.gid}`;
}

export function dockerDriver(options: { dockerPath?: string; image?: string } = {}): SandboxDriver {
  return {
    name: "docker",
    async run(request: SandboxRequest): Promise<SandboxResult> {
      const docker = options.dockerPath ?? findDocker() ?? "docker";
      const limits = resolveLimits(request.limits);
      const dir = await assertWorkingTree(request.dir);
      const image = request.image ?? options.image ?? defaultDockerImage();
      const name = `dm-sandbox-${randomBytes(8).toString("hex")}`;
      const args = dockerArgs({ ...request, dir }, limits, image, { name, user: await containerUser(dir) });
      const env = cliEnv();
      // The image pull is not the command's time: pull first, bounded separately (a failure
      // shows in the run's own output, from --pull missing).
      await execFileAsync(docker, ["image", "inspect", image], { env, timeout: 15_000 })
        .catch(() => execFileAsync(docker, ["pull", "--quiet", image], { env, timeout: 10 * 60_000 }))
        .catch(() => {});
      return supervise({
        driver: "docker",
        argv: [docker, ...args],
        env: env as unknown as Record<string, string>,
        limits,
        cgroup: null,
        signal: request.signal,
        onOutput: request.onOutput,
        onKill: () => execFileAsync(docker, ["kill", name], { env, timeout: 30_000 }),
      });
    },
  };
}

/** Whether a Docker engine answers (`docker info`). */
export async function probeDocker(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const docker = findDocker();
  if (!docker) return { ok: false, reason: "docker not found" };
  try {
    await execFileAsync(docker, ["info", "--format", "{{.ServerVersion}}"], {
      env: cliEnv(),
      timeout: 10_000,
    });
    return { ok: true };
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? "")
      .trim()
      .split("\n")[0];
    return { ok: false, reason: `docker info failed${stderr ? `: ${stderr.slice(0, 200)}` : ""}` };
  }
}
