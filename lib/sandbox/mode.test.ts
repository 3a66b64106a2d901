import { afterEach, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { setTestEnv } from "@/tests/support/env";
import { DOCKER_IMAGE_MAX, isDockerImageRef } from "./image-ref";
import { defaultSandboxImage, sandboxMode } from "./mode";

const clear = {
  SANDBOX_DRIVER: undefined,
  SANDBOX_DOCKER_IMAGE: undefined,
  DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: undefined,
};
afterEach(() => setTestEnv(clear));

describe("sandboxMode", () => {
  it("defaults to auto, sandboxed", () => {
    setTestEnv(clear);
    expect(sandboxMode()).toEqual({ driver: "auto", unsafe: false });
    expect(defaultSandboxImage()).toBeNull();
  });

  it.each(["bubblewrap", "docker", "none", "auto"] as const)("takes SANDBOX_DRIVER=%s", (driver) => {
    setTestEnv({ ...clear, SANDBOX_DRIVER: driver });
    expect(sandboxMode()).toEqual({ driver, unsafe: false });
  });

  it.each(["1", "true"])(
    "runs on the host, unsafe, when DANGEROUSLY_RUN_AGENT_CODE_ON_HOST=%s with the auto driver",
    (v) => {
      setTestEnv({ ...clear, DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: v });
      expect(sandboxMode()).toEqual({ driver: "host", unsafe: true });
      // A driver named explicitly keeps its sandbox (resolveSandbox decides the same way).
      setTestEnv({ ...clear, SANDBOX_DRIVER: "bubblewrap", DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: v });
      expect(sandboxMode()).toEqual({ driver: "bubblewrap", unsafe: false });
    },
  );

  it.each(["0", "false", ""])("stays sandboxed for DANGEROUSLY_RUN_AGENT_CODE_ON_HOST=%j", (v) => {
    setTestEnv({ ...clear, DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: v });
    expect(sandboxMode().unsafe).toBe(false);
  });

  it("refuses an unknown driver, a bad flag value and a bad default image at startup", () => {
    setTestEnv({ ...clear, SANDBOX_DRIVER: "podman" });
    expect(() => env()).toThrow(/SANDBOX_DRIVER must be/);
    setTestEnv({ ...clear, DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: "yes" });
    expect(() => env()).toThrow(/DANGEROUSLY_RUN_AGENT_CODE_ON_HOST/);
    setTestEnv({ ...clear, SANDBOX_DOCKER_IMAGE: "--privileged" });
    expect(() => env()).toThrow(/SANDBOX_DOCKER_IMAGE/);
  });

  it("reads the default image", () => {
    setTestEnv({ ...clear, SANDBOX_DOCKER_IMAGE: "node:22-bookworm" });
    expect(defaultSandboxImage()).toBe("node:22-bookworm");
  });
});

const SHA = "a".repeat(64);

describe("isDockerImageRef", () => {
  it.each([
    "node",
    "node:20-bookworm",
    "library/node:20",
    "python:3.12-slim",
    "ghcr.io/org/img",
    `ghcr.io/org/img@sha256:${SHA}`,
    `ghcr.io/org/img:1.2.3@sha256:${SHA}`,
    `node@sha512:${"0".repeat(128)}`,
    "localhost:5000/team/app:latest",
    "localhost/app",
    "registry.example.com:8443/a/b/c_d__e-f.g:TAG_1.0-x",
    "my-registry:5000/app",
  ])("accepts %s", (ref) => expect(isDockerImageRef(ref)).toBe(true));

  it.each([
    "",
    " ",
    "node 20",
    " node:20",
    "node:20 ",
    "-node",
    "--privileged",
    "node:-x",
    "Node:20",
    "MyOrg/app",
    "node:",
    ":20",
    "node@sha256:short",
    `node@md5:${SHA}`,
    `node@sha256:${"A".repeat(64)}`,
    "ghcr.io//img",
    "ghcr.io/org/img/",
    "a..b",
    "a_-b",
    "-ghcr.io/img",
    "ghcr.io/-img",
    "img\u0000",
    "img\n",
    "node:20;rm -rf /",
    "$(whoami)",
    `node:${"x".repeat(129)}`,
    `${"a".repeat(DOCKER_IMAGE_MAX - 2)}:12`,
  ])("refuses %j", (ref) => expect(isDockerImageRef(ref)).toBe(false));

  it("accepts a reference of exactly the maximum length", () => {
    expect(isDockerImageRef(`${"a".repeat(DOCKER_IMAGE_MAX - 2)}:1`)).toBe(true);
  });
});
