import { describe, expect, it } from "vitest";
import { checkPush } from "./check-push";
import { FLUSH_PKT, pktLine } from "./pkt-line";
import { PushParseError, readPushCommands } from "./read-push-commands";

const A = "a".repeat(40);
const B = "b".repeat(40);
const Z = "0".repeat(40);

/** Yields `buf` in pieces of `size` bytes, so pkt-lines straddle chunk boundaries. */
async function* chunks(buf: Buffer, size: number) {
  for (let at = 0; at < buf.length; at += size) yield buf.subarray(at, at + size);
}

describe("reading a push's command list", () => {
  it("parses the commands and capabilities across any chunking, keeping every byte for git", async () => {
    const body = Buffer.concat([
      pktLine(`shallow ${A}\n`),
      pktLine(`${A} ${B} refs/heads/main\0report-status side-band-64k agent=git/2\n`),
      pktLine(`${Z} ${B} refs/heads/feature\n`),
      FLUSH_PKT,
      Buffer.from("PACK\0\0\0\x02rest of the pack"),
    ]);
    for (const size of [1, 3, 7, 64, body.length]) {
      const source = chunks(body, size);
      const head = await readPushCommands(source);
      expect(head.commands).toEqual([
        { oldSha: A, newSha: B, ref: "refs/heads/main" },
        { oldSha: Z, newSha: B, ref: "refs/heads/feature" },
      ]);
      expect([...head.capabilities]).toEqual(["report-status", "side-band-64k", "agent=git/2"]);
      const rest: Buffer[] = [head.consumed];
      for await (const c of source) rest.push(c);
      expect(Buffer.concat(rest).equals(body)).toBe(true);
    }
  });

  it("takes git's auth probe (a lone flush) as no commands", async () => {
    expect((await readPushCommands(chunks(FLUSH_PKT, 4))).commands).toEqual([]);
  });

  it("refuses junk, truncated bodies, signed pushes and command lists past the bound", async () => {
    const bad = async (buf: Buffer, max?: number) =>
      readPushCommands(chunks(buf, 5), max).then(
        () => "parsed",
        (e: unknown) => (e instanceof PushParseError ? e.message : `other: ${String(e)}`),
      );
    expect(await bad(Buffer.from("zzzz"))).toMatch(/not in git's format/);
    expect(await bad(Buffer.from("0002"))).toMatch(/not in git's format/);
    expect(await bad(pktLine(`${A} ${B} refs/heads/x y\n`))).toMatch(/not in git's format/);
    expect(await bad(pktLine(`${A} ${B}\n`))).toMatch(/not in git's format/);
    expect(await bad(pktLine(`${A} ${B} refs/heads/x\n`))).toMatch(/ended before/);
    expect(await bad(Buffer.concat([pktLine("push-cert\0report-status\n"), FLUSH_PKT]))).toMatch(/Signed/);
    const many = Buffer.concat(Array.from({ length: 100 }, () => pktLine(`${A} ${B} refs/heads/x\n`)));
    expect(await bad(many, 1000)).toMatch(/too long/);
  });
});

describe("push rules", () => {
  const cmd = (ref: string, newSha = B, oldSha = A) => ({ oldSha, newSha, ref });

  it("allows other branches, refuses non-branches, the default branch without write_default, and its deletion", () => {
    const policy = { defaultBranch: "main", canWriteDefault: false };
    expect(checkPush([cmd("refs/heads/feature"), cmd("refs/heads/x", Z)], policy).size).toBe(0);
    const refused = checkPush(
      [cmd("refs/tags/v1"), cmd("refs/heads/"), cmd("refs/heads/main"), cmd("HEAD"), cmd("refs/notes/x")],
      policy,
    );
    expect([...refused.keys()]).toEqual([
      "refs/tags/v1",
      "refs/heads/",
      "refs/heads/main",
      "HEAD",
      "refs/notes/x",
    ]);
    expect(refused.get("refs/heads/main")).toContain("repos.write_default");
    const admin = { defaultBranch: "main", canWriteDefault: true };
    expect(checkPush([cmd("refs/heads/main")], admin).size).toBe(0);
    expect(checkPush([cmd("refs/heads/main", Z)], admin).get("refs/heads/main")).toContain(
      "cannot be deleted",
    );
    // The default branch is whatever the project says, not "main".
    expect(checkPush([cmd("refs/heads/main")], { defaultBranch: "trunk", canWriteDefault: false }).size).toBe(
      0,
    );
    expect(
      checkPush([cmd("refs/heads/trunk")], { defaultBranch: "trunk", canWriteDefault: false }).size,
    ).toBe(1);
  });
});
