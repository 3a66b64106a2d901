import { describe, expect, it } from "vitest";
import { bubblewrapArgs, MERGED_USR_LAYOUT, NETWORK_ETC_PATHS } from "./bubblewrap";
import { DEFAULT_LIMITS, sandboxEnv } from "./limits";

const input = {
  dir: "/srv/worktrees/p1/run-1",
  command: "npm test -- --reporter=tap",
  env: sandboxEnv({ env: { CI: "1" } }),
  limits: { ...DEFAULT_LIMITS, memoryBytes: 512 * 1024 * 1024, cpuSeconds: 10 },
};

/** The value following each occurrence of a flag. */
const values = (args: string[], flag: string, n = 1) =>
  args.flatMap((a, i) => (a === flag ? [args.slice(i + 1, i + 1 + n).join(" ")] : []));

describe("bubblewrapArgs", () => {
  it("unshares every namespace, and the network unless asked", () => {
    const args = bubblewrapArgs(input);
    for (const flag of [
      "--unshare-all",
      "--unshare-user",
      "--disable-userns",
      "--die-with-parent",
      "--new-session",
    ]) {
      expect(args).toContain(flag);
    }
    expect(args).not.toContain("--share-net");
    expect(bubblewrapArgs({ ...input, network: true })).toContain("--share-net");
  });

  it("mounts /usr read-only, the top-level symlinks, proc, dev, a private /tmp and the tree at /work", () => {
    const args = bubblewrapArgs(input);
    expect(values(args, "--ro-bind", 2)).toContain("/usr /usr");
    expect(values(args, "--symlink", 2)).toEqual(
      MERGED_USR_LAYOUT.map((e) => `${"symlink" in e ? e.symlink : ""} ${e.path}`),
    );
    expect(values(args, "--proc")).toEqual(["/proc"]);
    expect(values(args, "--dev")).toEqual(["/dev"]);
    expect(values(args, "--tmpfs")).toEqual(["/tmp"]);
    expect(values(args, "--size")).toEqual([String(512 * 1024 * 1024)]);
    expect(values(args, "--bind", 2)).toEqual(["/srv/worktrees/p1/run-1 /work"]);
    expect(values(args, "--chdir")).toEqual(["/work"]);
    // The root is made read-only after the last mount.
    const remount = args.indexOf("--remount-ro");
    expect(args[remount + 1]).toBe("/");
    for (const flag of ["--bind", "--tmpfs", "--proc", "--dev", "--ro-bind", "--ro-bind-try", "--symlink"]) {
      expect(args.lastIndexOf(flag)).toBeLessThan(remount);
    }
  });

  it("binds of /etc only the alternatives and loader cache offline, and DNS/TLS files with the network", () => {
    const offline = values(bubblewrapArgs(input), "--ro-bind-try", 2);
    expect(offline).toEqual(["/etc/alternatives /etc/alternatives", "/etc/ld.so.cache /etc/ld.so.cache"]);
    const online = values(bubblewrapArgs({ ...input, network: true }), "--ro-bind-try", 2);
    for (const p of NETWORK_ETC_PATHS) expect(online).toContain(`${p} ${p}`);
    expect(online.every((m) => m.startsWith("/etc/"))).toBe(true);
    expect(NETWORK_ETC_PATHS).toContain("/etc/resolv.conf");
    expect(NETWORK_ETC_PATHS).toContain("/etc/ssl");
  });

  it("clears the environment and sets only the given variables", () => {
    const args = bubblewrapArgs(input);
    expect(args).toContain("--clearenv");
    expect(args.indexOf("--clearenv")).toBeLessThan(args.indexOf("--setenv"));
    expect(values(args, "--setenv", 2)).toEqual(["PATH /usr/bin:/bin", "HOME /tmp", "LANG C.UTF-8", "CI 1"]);
  });

  it("runs the command by /bin/sh -c under prlimit, last", () => {
    const args = bubblewrapArgs(input);
    const sep = args.indexOf("--");
    expect(args.slice(sep)).toEqual([
      "--",
      "/usr/bin/prlimit",
      "--cpu=10:11",
      `--data=${512 * 1024 * 1024}`,
      expect.stringMatching(/^--fsize=\d+$/),
      "--core=0",
      "--",
      "/bin/sh",
      "-c",
      "npm test -- --reporter=tap",
    ]);
    expect(bubblewrapArgs({ ...input, nproc: 400 })).toContain("--nproc=400");
    expect(args.some((a) => a.startsWith("--nproc"))).toBe(false);
  });

  it("mounts the requested read-only paths at the same place, after the tree", () => {
    const args = bubblewrapArgs({ ...input, readOnlyPaths: ["/srv/repos/o/p.git/objects"] });
    expect(values(args, "--ro-bind", 2)).toContain("/srv/repos/o/p.git/objects /srv/repos/o/p.git/objects");
    expect(args.lastIndexOf("--ro-bind")).toBeGreaterThan(args.indexOf("--bind"));
    expect(args.lastIndexOf("--ro-bind")).toBeLessThan(args.indexOf("--remount-ro"));
  });

  it("adapts to the host's layout and an older bwrap", () => {
    const args = bubblewrapArgs({
      ...input,
      layout: [
        { path: "/bin", dir: true },
        { path: "/lib", dir: true },
      ],
      features: { disableUserns: false, tmpfsSize: false },
    });
    expect(values(args, "--ro-bind", 2)).toEqual(["/usr /usr", "/bin /bin", "/lib /lib"]);
    expect(args).not.toContain("--symlink");
    expect(args).not.toContain("--disable-userns");
    expect(args).not.toContain("--size");
  });
});
