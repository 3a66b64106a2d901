import { hash, verify } from "@node-rs/argon2";

/** argon2id (the library default) with OWASP's recommended cost: 19 MiB, 2 passes. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

const globalForPassword = globalThis as unknown as { __dmDummyHash?: Promise<string> };

/**
 * Spends the time a real verification would when the account does not exist or has no password,
 * so response times do not reveal which emails are registered.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  globalForPassword.__dmDummyHash ??= hashPassword("dummy-password-for-timing");
  await verifyPassword(await globalForPassword.__dmDummyHash, password);
  return false;
}
