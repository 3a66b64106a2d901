import { describe, expect, it } from "vitest";
import { costOfUsage, priceFor } from "./pricing";

describe("pricing", () => {
  it("prices input and output per million tokens", () => {
    expect(costOfUsage("gpt-4o", { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toEqual({
      usd: 12.5,
      priced: true,
    });
    expect(costOfUsage("claude-sonnet-4-5", { inputTokens: 2000, outputTokens: 500 })).toEqual({
      usd: 0.0135,
      priced: true,
    });
  });

  it("charges cached input at its own rate, out of the input total", () => {
    const usage = {
      inputTokens: 10_000,
      outputTokens: 0,
      inputTokenDetails: { cacheReadTokens: 8_000, cacheWriteTokens: 1_000 },
    };
    // 1,000 plain × $3 + 8,000 read × $0.30 + 1,000 written × $3.75, per million.
    expect(costOfUsage("claude-sonnet-4-5", usage).usd).toBeCloseTo(0.00915, 10);
  });

  it("matches dated snapshots and provider prefixes to their base model", () => {
    expect(priceFor("gpt-4o-2024-08-06")).toEqual(priceFor("gpt-4o"));
    expect(priceFor("claude-sonnet-4-5-20250929")).toEqual(priceFor("claude-sonnet-4-5"));
    expect(priceFor("openai/gpt-5-mini")).toEqual(priceFor("gpt-5-mini"));
    expect(priceFor("gpt-4o-mini")?.input).toBe(0.15);
  });

  it("does not guess a price for unknown or local models", () => {
    expect(priceFor("gpt-4o-audio-preview")).toBeUndefined();
    expect(costOfUsage("llama3.1:8b", { inputTokens: 5000, outputTokens: 5000 })).toEqual({
      usd: 0,
      priced: false,
    });
  });

  it("prices the demo model at zero", () => {
    expect(costOfUsage("demo-scripted", { inputTokens: 10_000, outputTokens: 10_000 })).toEqual({
      usd: 0,
      priced: true,
    });
  });

  it("treats missing counts as zero", () => {
    expect(costOfUsage("gpt-4o", { inputTokens: undefined, outputTokens: undefined }).usd).toBe(0);
  });
});
