import { describe, expect, it } from "vitest";
import { extractJson } from "./extract-json";

describe("extractJson", () => {
  it("reads plain JSON, a fenced block, and an object inside prose", () => {
    expect(extractJson(' {"a": 1} ')).toMatchObject({ ok: true, value: { a: 1 } });
    expect(extractJson('Here it is:\n```json\n{"a": [1, "}"]}\n```\nDone.')).toMatchObject({
      ok: true,
      value: { a: [1, "}"] },
    });
    expect(extractJson('My plan is {"a": {"b": "x \\" {"}} as requested.')).toMatchObject({
      ok: true,
      value: { a: { b: 'x " {' } },
    });
  });

  it("tells JSON that was cut off from prose without JSON", () => {
    expect(extractJson('{"summary": "Capture the drivers", "phases": [')).toEqual({
      ok: false,
      reason: "truncated",
    });
    expect(extractJson('```json\n{"summary": "Capt')).toEqual({ ok: false, reason: "truncated" });
    expect(extractJson("Sure! First we capture the drivers.")).toEqual({ ok: false, reason: "not_json" });
  });
});
