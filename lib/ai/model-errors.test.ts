import { APICallError, NoObjectGeneratedError, RetryError } from "ai";
import { describe, expect, it } from "vitest";
import { describeModelError, ModelCallError, ModelTimeoutError, StreamCutError } from "./model-errors";

const apiError = (
  statusCode: number | undefined,
  message = "x",
  extra: Partial<{ responseBody: string; cause: unknown }> = {},
) =>
  new APICallError({
    message,
    url: "https://api.example.com/v1/chat/completions",
    requestBodyValues: {},
    statusCode,
    isRetryable: statusCode === 429 || (statusCode ?? 0) >= 500,
    ...extra,
  });

describe("describeModelError", () => {
  it("names the HTTP fault a person can act on, never the provider's JSON", () => {
    expect(describeModelError(apiError(401, "Incorrect API key provided: sk-ab****"))).toBe(
      "The model provider refused the API key (401). Check the key in the AI settings.",
    );
    expect(describeModelError(apiError(429), { retries: 3 })).toBe(
      "The model provider is rate limiting requests (429); retried 3 times.",
    );
    expect(describeModelError(apiError(500, '{"error":{"message":"boom"}}'), { retries: 1 })).toBe(
      "The model provider had a server error (500); retried 1 time.",
    );
    expect(describeModelError(apiError(404))).toMatch(/does not know this model or URL \(404\)/);
    expect(describeModelError(apiError(422, '{"detail":[{"loc":["body"]}]}'))).toBe(
      "The model provider rejected the request (422).",
    );
    expect(describeModelError(apiError(422, "Prompt is too long"))).toBe(
      "The model provider rejected the request (422): Prompt is too long.",
    );
    expect(
      describeModelError(apiError(400, "Bad", { responseBody: '{"error":"response_format not supported"}' })),
    ).toMatch(/does not support JSON output/);
  });

  it("counts the retries of the SDK's RetryError from its last error", () => {
    const errors = [apiError(429), apiError(429), apiError(429)];
    const retry = new RetryError({
      message: "Failed after 3 attempts",
      reason: "maxRetriesExceeded",
      errors,
    });
    expect(describeModelError(retry)).toBe(
      "The model provider is rate limiting requests (429); retried 2 times.",
    );
  });

  it("explains unreachable servers, timeouts and cut streams", () => {
    const refused = apiError(undefined, "Cannot connect to API", { cause: { code: "ECONNREFUSED" } });
    expect(describeModelError(refused)).toBe(
      "The model provider could not be reached at api.example.com (connection refused).",
    );
    expect(describeModelError(new ModelTimeoutError("first-token", 90_000), { retries: 2 })).toBe(
      "The model provider did not answer within 90 s; retried 2 times.",
    );
    expect(describeModelError(new StreamCutError(new TypeError("terminated")))).toBe(
      "The model provider's connection closed mid-answer.",
    );
    expect(describeModelError(new TypeError("terminated"))).toBe(
      "The model provider's connection closed mid-answer.",
    );
  });

  it("tells text from broken JSON when JSON was required", () => {
    const args = {
      response: { id: "r", timestamp: new Date(), modelId: "m" },
      usage: {} as never,
      finishReason: "stop" as const,
    };
    expect(describeModelError(new NoObjectGeneratedError({ ...args, text: "Sure, here is my plan" }))).toBe(
      "The model answered with text where JSON was required.",
    );
    expect(describeModelError(new NoObjectGeneratedError({ ...args, text: '{"summary": "a' }))).toBe(
      "The model's JSON answer was cut off or malformed.",
    );
  });

  it("keeps a ModelCallError's reason, also once serialized by a step", () => {
    const reason = "The model provider refused the API key (401). Check the key in the AI settings.";
    expect(describeModelError(new ModelCallError(reason))).toBe(reason);
    expect(describeModelError({ name: "ModelCallError", message: reason, stack: "at x (y.js:1:1)" })).toBe(
      reason,
    );
  });

  it("never passes an unknown error's message through", () => {
    expect(describeModelError(new Error("at Object.<anonymous> (/app/x.js:1:1) secret=abc"))).toBe(
      "The model call failed for an unexpected reason.",
    );
  });
});
