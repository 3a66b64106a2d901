import { describe, expect, it } from "vitest";
import { compileFunction, DEFAULT_RETRIES, RegistrationError } from "./registry";

const base = { id: "app-fn", steps: { step: {} } };

describe("function registration", () => {
  it("compiles triggers, wildcards, retries, concurrency and cancellation", () => {
    const fn = compileFunction({
      ...base,
      triggers: [{ event: "billing/*", expression: "event.data.amount > 10" }, { cron: "0 3 * * *" }],
      steps: { step: { retries: { attempts: 2 } } },
      concurrency: [{ limit: 2, key: "event.data.orgId" }, { limit: 10 }],
      cancel: [{ event: "billing/cancelled", if: "event.data.id == async.data.id", timeout: "1h" }],
    });
    expect(fn.triggers[0]?.matchesName("billing/invoice.paid")).toBe(true);
    expect(fn.triggers[0]?.matchesName("shipping/sent")).toBe(false);
    expect(fn.triggers[0]?.if?.matches({ event: { data: { amount: 11 } } })).toBe(true);
    expect(fn.crons[0]?.source).toBe("0 3 * * *");
    expect(fn.maxAttempts).toBe(3);
    expect(fn.concurrency.map((c) => [c.limit, c.scope, c.key?.source])).toEqual([
      [2, "fn", "event.data.orgId"],
      [10, "fn", undefined],
    ]);
    expect(fn.cancelOn[0]?.timeoutMs).toBe(3_600_000);
  });

  it("defaults to Inngest's four retries", () => {
    expect(compileFunction({ ...base, triggers: [{ event: "a/b" }] }).maxAttempts).toBe(DEFAULT_RETRIES + 1);
  });

  it.each([
    [{ debounce: { period: "1s" } }, /uses `debounce`/],
    [{ batchEvents: { maxSize: 10, timeout: "1s" } }, /uses `batchEvents`/],
    [
      { triggers: [{ event: "a/b", expression: "event.data.x.startsWith('a')" }] },
      /trigger "a\/b".*method calls/,
    ],
    [{ triggers: [{ cron: "0 3 * * * *" }] }, /expected 5 fields/],
    [{ cancel: [{ event: "a/c", if: "event.data.x === 1" }] }, /cancelOn "a\/c".*position/],
  ])("refuses %j", (extra, message) => {
    expect(() => compileFunction({ ...base, triggers: [{ event: "a/b" }], ...extra })).toThrow(
      RegistrationError,
    );
    expect(() => compileFunction({ ...base, triggers: [{ event: "a/b" }], ...extra })).toThrow(message);
  });
});
