import { describe, expect, it } from "vitest";
import { compileExpression, ExpressionError } from "./expression";

const event = {
  name: "a/b",
  data: { orgId: "o1", n: 5, plan: "pro", nested: { list: [1, 2] }, flag: true, none: null },
};

describe("expressions (the CEL subset of if / match / concurrency keys)", () => {
  it.each([
    ["event.data.orgId == async.data.orgId", { event, async: { data: { orgId: "o1" } } }, true],
    ["event.data.orgId == async.data.orgId", { event, async: { data: { orgId: "o2" } } }, false],
    ["event.data.orgId != 'o2'", { event }, true],
    ['event.data.plan == "pro" && event.data.n >= 5', { event }, true],
    ["event.data.plan == 'free' || event.data.n > 4", { event }, true],
    ["!(event.data.n < 3) && event.data.flag", { event }, true],
    ["event.data.n <= 4.5", { event }, false],
    ["event.data.n == 5.0", { event }, true],
    ["event.data.n > -1", { event }, true],
    ["event.data.nested.list[1] == 2", { event }, true],
    ['event.data["plan"] == "pro"', { event }, true],
    ["event.data.none == null", { event }, true],
    ["event.data.nested == event.data.nested", { event }, true],
    ["event.name == 'a/b' && (event.data.n == 1 || event.data.n == 5)", { event }, true],
    ["'a' < 'b'", { event }, true],
    ["event.data.missing == 'x'", { event }, false],
    ["event.data.missing != 'x'", { event }, false],
    ["event.data.missing == 'x' || event.data.n == 5", { event }, true],
    ["event.data.plan > 3", { event }, false],
    ["event.data.plan == 3", { event }, false],
    ["event.data.flag", { event }, true],
  ])("%s", (source, vars, expected) => {
    expect(compileExpression(source, ["event", "async"]).matches(vars)).toBe(expected);
  });

  it("evaluates concurrency keys to values", () => {
    expect(compileExpression("event.data.orgId", ["event"]).value({ event })).toBe("o1");
    expect(compileExpression("event.data.nope", ["event"]).value({ event })).toBeUndefined();
  });

  it.each([
    ["event.data.a + 1", 13, "unexpected"],
    ["size(event.data.items) > 2", 0, "function and macro calls"],
    ["event.data.items.exists(x)", 23, "method calls"],
    ["event.data.a in ['x']", 13, "unexpected"],
    ["async.data.a == 1", 0, 'unknown name "async"'],
    ["event.data.a == 'open", 16, "unterminated string"],
    ["1 < event.data.a < 3", 17, "chained comparisons"],
    ["event.data.a ? 1 : 2", 13, "unexpected"],
    ["(event.data.a == 1", 18, 'expected ")"'],
    ["", 0, "unexpected end of expression"],
  ])("rejects %s at position %i", (source, position, message) => {
    let error: unknown;
    try {
      compileExpression(source, ["event"]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).position).toBe(position);
    expect((error as Error).message).toContain(message);
  });
});
