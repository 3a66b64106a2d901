import { randomBytes } from "node:crypto";
import { hashToken } from "@/lib/crypto";

/**
 * An API key reads `dmk_<prefix>_<secret>`: the prefix (12 hex characters, unique, shown in lists)
 * finds the row; the SHA-256 of the whole key is what is stored and compared. A key has 256 bits
 * of secret, so a fast hash is right (no password stretching needed).
 */
export const API_KEY_PATTERN = /^dmk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export type GeneratedKey = { key: string; prefix: string; hash: string };

export function generateApiKey(): GeneratedKey {
  const prefix = randomBytes(6).toString("hex");
  const key = `dmk_${prefix}_${randomBytes(32).toString("base64url")}`;
  return { key, prefix, hash: hashToken(key) };
}

/** The prefix and hash of a presented key, or null when it does not look like one of ours. */
export function parseApiKey(presented: string): { prefix: string; hash: string } | null {
  const m = API_KEY_PATTERN.exec(presented.trim());
  if (!m?.[1]) return null;
  return { prefix: m[1], hash: hashToken(presented.trim()) };
}

/** How a key is shown after creation: its prefix only. */
export function displayPrefix(prefix: string): string {
  return `dmk_${prefix}_…`;
}
