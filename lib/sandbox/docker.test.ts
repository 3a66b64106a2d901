import { afterEach, describe, expect, it } from "vitest";
import { setTestEnv } from "@/tests/support/env";
import { DEFAULT_DOCKER_IMAGE, DOCKER_FALLBACK_USER, defaultDockerImage, dockerArgs } from "./docker";
import { DEFAULT_LIMITS } from "./limits";

// Only the command is tested: these machines have no Docker engine to run it.
const limits = { ...DEFAULT_LIMITS, memoryBytes: 536870912, processes: 64, cpuSeconds: 30 };
const request = { dir: "/srv/worktrees/p1/run-1", command: "npm test", env: { CI: "1" } };
const values = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));

describe("dockerArgs", () => {
  it("runs offline, read-only, limited, unprivileged, with the tree at /work", () => {
    const args = dockerArgs(request, limits, "node:20", { name: "dm-sandbox-abc" });
    expect(args.slice(0, 4)).toEqual(["run", "--rm", "--name", "dm-sandbox-abc"]);
    expect(values(args, "--network")).toEqual(["none"]);
    expect(args).toContain("--read-only");
    expect(values(args, "--tmpfs")).toEqual(["/tmp:rw,nosuid,nodev,size=536870912"]);
    expect(values(args, "--mount")).toEqual(["type=bind,src=/srv/worktrees/p1/run-1,dst=/work"]);
    expect(values(args, "--workdir")).toEqual(["/work"]);
    expect(values(args, "--memory")).toEqual(["536870912b"]);
    expect(values(args, "--memory-swap")).toEqual(["536870912b"]);
    expect(values(args, "--pids-limit")).toEqual(["64"]);
    expect(values(args, "--cpus")).toEqual(["1"]);
    expect(values(args, "--ulimit")).toContain("cpu=30:31");
    expect(values(args, "--user")).toEqual([DOCKER_FALLBACK_USER]);
    expect(values(args, "--cap-drop")).toEqual(["ALL"]);
    expect(values(args, "--security-opt")).toEqual(["no-new-privileges"]);
    expect(values(args, "-e")).toEqual(["HOME=/tmp", "LANG=C.UTF-8", "CI=1"]);
    expect(args.slice(-3)).toEqual(["node:20", "-c", "npm test"]);
    expect(values(args, "--entrypoint")).toEqual(["/bin/sh"]);
  });

  it("has the network only when asked (the install step), and the given user", () => {
    const args = dockerArgs({ ...request, network: true }, limits, "img", { name: "n", user: "1000:1000" });
    expect(values(args, "--network")).toEqual(["bridge"]);
    expect(values(args, "--user")).toEqual(["1000:1000"]);
  });

  it("mounts the requested read-only paths read-only", () => {
    const args = dockerArgs({ ...request, readOnlyPaths: ["/srv/o.git/objects"] }, limits, "img", {
      name: "n",
    });
    expect(values(args, "--mount")).toEqual([
      "type=bind,src=/srv/worktrees/p1/run-1,dst=/work",
      "type=bind,src=/srv/o.git/objects,dst=/srv/o.git/objects,readonly",
    ]);
  });

  it("refuses a path that would change the --mount list, and bad variable names", () => {
    expect(() => dockerArgs({ ...request, dir: "/a,dst=/etc" }, limits, "img", { name: "n" })).toThrow(
      /comma/,
    );
    expect(() => dockerArgs({ ...request, env: { "A B": "1" } }, limits, "img", { name: "n" })).toThrow(
      /name/,
    );
  });
});

describe("defaultDockerImage", () => {
  afterEach(() => setTestEnv({ SANDBOX_DOCKER_IMAGE: undefined }));
  it("is SANDBOX_DOCKER_IMAGE, else a Node + Python image", () => {
    setTestEnv({ SANDBOX_DOCKER_IMAGE: undefined });
    expect(defaultDockerImage()).toBe(DEFAULT_DOCKER_IMAGE);
    expect(DEFAULT_DOCKER_IMAGE).toMatch(/python.*node/);
    setTestEnv({ SANDBOX_DOCKER_IMAGE: "registry.example.com/ci:1" });
    expect(defaultDockerImage()).toBe("registry.example.com/ci:1");
  });
});
