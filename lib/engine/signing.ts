import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Request signing exactly as Inngest does it, so the SDK's signature check stays on: the SDK
 * parses the body, canonicalizes it (RFC 8785: sorted keys, JSON number and string forms) and
 * compares `HMAC-SHA256(key without its "signkey-<env>-" prefix, canonical + timestamp)` with the
 * `s` of `x-inngest-signature: t=<unix seconds>&s=<hex>`.
 */

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

const rawKey = (signingKey: string) => signingKey.replace(/^signkey-\w+-/, "");

export function signatureHeader(signingKey: string, body: unknown, now = Date.now()): string {
  const t = Math.round(now / 1000).toString();
  const s = createHmac("sha256", rawKey(signingKey))
    .update(canonicalJson(body) + t)
    .digest("hex");
  return `t=${t}&s=${s}`;
}

/** What the SDK sends as `Authorization: Bearer ...` when it calls the Inngest API. */
export function hashedSigningKey(signingKey: string): string {
  const prefix = /^signkey-\w+-/.exec(signingKey)?.[0] ?? "";
  return (
    prefix +
    createHash("sha256")
      .update(Buffer.from(rawKey(signingKey), "hex"))
      .digest("hex")
  );
}

export function bearerMatches(header: string | null, signingKey: string): boolean {
  const expected = Buffer.from(`Bearer ${hashedSigningKey(signingKey)}`);
  const given = Buffer.from(header ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
