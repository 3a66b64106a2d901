import { randomBytes } from "node:crypto";

/** Where and what an organization publishes to prove it owns an email domain. */
export function txtRecordName(domain: string): string {
  return `_dafnckmachine.${domain}`;
}

export function txtRecordValue(token: string): string {
  return `dafnckmachine-verification=${token}`;
}

/** 32 random bytes per organization and domain: a claim cannot be guessed or reused elsewhere. */
export function newDomainToken(): string {
  return randomBytes(32).toString("base64url");
}
