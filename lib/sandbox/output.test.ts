import { describe, expect, it } from "vitest";
import {
  completeUtf8Length,
  LIVE_CAP_NOTICE,
  LIVE_CHUNK_BYTES,
  LIVE_OUTPUT_CAP_BYTES,
  OutputCollector,
  omittedMarker,
} from "./output";

const bytes = (s: string) => Buffer.from(s, "utf8");

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a / 2 ** 32;
  };
}

describe("OutputCollector", () => {
  it("keeps output within the limit whole", () => {
    const c = new OutputCollector(100);
    c.push(bytes("hello "));
    c.push(bytes("world"));
    expect(c.end()).toEqual({ output: "hello world", truncated: false, outputBytes: 11 });
  });

  it("keeps exactly the limit whole, and truncates one byte more", () => {
    const exact = new OutputCollector(10);
    exact.push(bytes("0123456789"));
    expect(exact.end()).toMatchObject({ output: "0123456789", truncated: false });

    const over = new OutputCollector(10);
    over.push(bytes("0123456789X"));
    expect(over.end()).toEqual({
      output: `01234${omittedMarker(1)}6789X`,
      truncated: true,
      outputBytes: 11,
    });
  });

  it("keeps the first and the last half of any chunking, and counts every byte", () => {
    const random = rng(7);
    for (let round = 0; round < 20; round++) {
      const limit = 16 + Math.floor(random() * 200);
      const total = Math.floor(random() * 2000);
      const data = Buffer.from(Array.from({ length: total }, (_, i) => 97 + (i % 26)));
      const c = new OutputCollector(limit);
      for (let i = 0; i < total; ) {
        const n = 1 + Math.floor(random() * limit * 1.5); // chunks smaller and larger than the tail
        c.push(data.subarray(i, i + n));
        i += n;
      }
      const r = c.end();
      const head = Math.floor(limit / 2);
      const tail = limit - head;
      expect(r.outputBytes).toBe(total);
      if (total <= limit) expect(r).toMatchObject({ output: data.toString(), truncated: false });
      else {
        const expected =
          data.subarray(0, head).toString() +
          omittedMarker(total - limit) +
          data.subarray(total - tail).toString();
        expect(r).toMatchObject({ output: expected, truncated: true });
      }
    }
  });

  it("cuts head and tail on character boundaries", () => {
    const text = "é😀".repeat(50); // 2- and 4-byte characters
    const c = new OutputCollector(21);
    for (const b of bytes(text)) c.push(Uint8Array.of(b)); // byte by byte
    const r = c.end();
    expect(r.truncated).toBe(true);
    expect(r.output).not.toContain("\uFFFD");
    const [head, tail] = r.output.split(/\n… \[\d+ bytes omitted\] …\n/);
    expect(text.startsWith(head ?? "")).toBe(true);
    expect(text.endsWith(tail ?? "")).toBe(true);
    expect(bytes(head ?? "").length).toBeLessThanOrEqual(10);
    expect(bytes(tail ?? "").length).toBeLessThanOrEqual(11);
    const omitted = Number(r.output.match(/(\d+) bytes omitted/)?.[1]);
    expect(bytes(head ?? "").length + omitted + bytes(tail ?? "").length).toBe(r.outputBytes);
  });

  it("holds at most the limit however much is pushed", () => {
    const c = new OutputCollector(1024);
    const chunk = Buffer.alloc(64 * 1024, "x");
    for (let i = 0; i < 1600; i++) c.push(chunk); // 100 MiB
    const r = c.end();
    expect(r.outputBytes).toBe(1600 * 64 * 1024);
    expect(r.output.length).toBe(1024 + omittedMarker(r.outputBytes - 1024).length);
  });
});

describe("completeUtf8Length", () => {
  it("drops only an incomplete trailing sequence", () => {
    const euro = bytes("a€"); // € is 3 bytes
    expect(completeUtf8Length(euro)).toBe(4);
    expect(completeUtf8Length(euro, 3)).toBe(1);
    expect(completeUtf8Length(euro, 2)).toBe(1);
    expect(completeUtf8Length(euro, 1)).toBe(1);
    expect(completeUtf8Length(bytes("abc"), 0)).toBe(0);
  });
});

describe("OutputCollector live forwarding", () => {
  it("coalesces small chunks and forwards everything under the cap", () => {
    const calls: string[] = [];
    const c = new OutputCollector(1024, (s) => calls.push(s));
    for (let i = 0; i < 1000; i++) c.push(bytes(`${i % 10}`));
    // The first chunk goes at once; the rest waits for the timer or the end.
    expect(calls.length).toBeLessThanOrEqual(2);
    c.end();
    expect(calls.join("")).toBe(Array.from({ length: 1000 }, (_, i) => `${i % 10}`).join(""));
    expect(calls.length).toBeLessThanOrEqual(3);
  });

  it("never calls with more than LIVE_CHUNK_BYTES and stops at the cap with one notice", () => {
    const calls: string[] = [];
    const c = new OutputCollector(1024, (s) => calls.push(s));
    const chunk = Buffer.alloc(60 * 1024, "y");
    for (let i = 0; i < 100; i++) c.push(chunk); // 6 MB
    c.end();
    const forwarded = calls.join("");
    expect(forwarded.endsWith(LIVE_CAP_NOTICE)).toBe(true);
    expect(forwarded.length - LIVE_CAP_NOTICE.length).toBe(LIVE_OUTPUT_CAP_BYTES);
    expect(forwarded.split(LIVE_CAP_NOTICE)).toHaveLength(2);
    for (const call of calls.slice(0, -1)) expect(bytes(call).length).toBeLessThanOrEqual(LIVE_CHUNK_BYTES);
  });

  it("decodes a character split across chunks, and survives a throwing listener", async () => {
    const calls: string[] = [];
    const c = new OutputCollector(64, (s) => {
      calls.push(s);
      throw new Error("listener failed");
    });
    const euro = bytes("€");
    c.push(euro.subarray(0, 1));
    c.push(euro.subarray(1));
    await new Promise((r) => setTimeout(r, 150)); // the throttle timer fires
    c.push(bytes("!"));
    expect(c.end().output).toBe("€!");
    expect(calls.join("")).toBe("€!");
    expect(calls.join("")).not.toContain("\uFFFD");
  });
});
