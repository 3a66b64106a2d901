import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Executor } from "@/db";
import { authTokens } from "@/db/schema";
import { hashToken, newToken } from "@/lib/crypto";
import { AppError } from "@/lib/errors";

export type AuthTokenKind = "verify_email" | "reset_password";

export const TOKEN_TTL_MS: Record<AuthTokenKind, number> = {
  verify_email: 24 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
};

/**
 * Issues a single-use link token; only its hash is stored. Earlier unused tokens of the same kind
 * stop working, so only the newest email's link is valid.
 */
export async function issueAuthToken(db: Executor, userId: string, kind: AuthTokenKind): Promise<string> {
  const { token, hash } = newToken();
  const now = new Date();
  await db
    .update(authTokens)
    .set({ usedAt: now })
    .where(and(eq(authTokens.userId, userId), eq(authTokens.kind, kind), isNull(authTokens.usedAt)));
  await db.insert(authTokens).values({
    userId,
    kind,
    tokenHash: hash,
    expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[kind]),
  });
  return token;
}

/**
 * Marks the token used and returns its user. One conditional UPDATE, so two concurrent uses of
 * the same link cannot both succeed.
 */
export async function consumeAuthToken(db: Executor, token: string, kind: AuthTokenKind): Promise<string> {
  const [row] = await db
    .update(authTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(authTokens.tokenHash, hashToken(token)),
        eq(authTokens.kind, kind),
        isNull(authTokens.usedAt),
        gt(authTokens.expiresAt, new Date()),
      ),
    )
    .returning({ userId: authTokens.userId });
  if (!row) {
    throw new AppError(
      "bad_request",
      "This link is invalid, has expired or was already used. Ask for a new one.",
    );
  }
  return row.userId;
}

/** When the newest token of a kind was issued, to space out repeated emails. */
export async function lastIssuedAt(db: Executor, userId: string, kind: AuthTokenKind): Promise<Date | null> {
  const [row] = await db
    .select({ createdAt: authTokens.createdAt })
    .from(authTokens)
    .where(and(eq(authTokens.userId, userId), eq(authTokens.kind, kind)))
    .orderBy(desc(authTokens.createdAt))
    .limit(1);
  return row?.createdAt ?? null;
}
