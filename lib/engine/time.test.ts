import { describe, expect, it } from "vitest";
import { canonicalJson } from "./signing";
import { parseDuration, resolveDeadline, ulid } from "./time";

describe("durations, deadlines and ids", () => {
  it("parses the SDK's time strings", () => {
    expect(parseDuration("1s")).toBe(1000);
    expect(parseDuration("2h30m10s")).toBe(9_010_000);
    expect(parseDuration("1w1d")).toBe(8 * 86_400_000);
    expect(parseDuration("")).toBe(0);
    expect(parseDuration("soon")).toBeUndefined();
    expect(resolveDeadline("2030-01-01T00:00:00.000Z", 0)?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(resolveDeadline("5m", 1000)?.getTime()).toBe(301_000);
  });

  it("makes sortable ULIDs, deterministic with given entropy", () => {
    const a = ulid(1_700_000_000_000, new Uint8Array(10));
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ulid(1_700_000_000_000, new Uint8Array(10))).toBe(a);
    expect(ulid(1_700_000_000_001) > a).toBe(true);
  });

  it("canonicalizes JSON the way the SDK verifies signatures (sorted keys, no undefined)", () => {
    expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: "é" }], z: null })).toBe(
      '{"a":[1,{"c":"é"}],"b":1,"z":null}',
    );
  });
});
