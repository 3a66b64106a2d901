import { randomBytes } from "node:crypto";
import { and, eq, isNull, ne } from "drizzle-orm";
import { type Executor, getDb } from "@/db";
import { userSessions } from "@/db/schema";
import type { RequestMeta } from "@/lib/request-meta";

/** Absolute lifetime of a sign-in; the JWT cookie has the same maxAge. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
// Writing last_seen_at on every request would turn each page view into a write.
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export async function createUserSession(input: {
  userId: string;
  provider: string;
  meta: RequestMeta;
}): Promise<string> {
  const db = await getDb();
  const id = randomBytes(24).toString("base64url");
  await db.insert(userSessions).values({
    id,
    userId: input.userId,
    provider: input.provider,
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
  });
  return id;
}

/**
 * Whether the session a JWT points at is still live. Called on every authenticated request, so a
 * sign-out, a password reset or an admin revocation ends the session on the next request.
 */
export async function isUserSessionActive(sessionId: string, userId: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({
      revokedAt: userSessions.revokedAt,
      expiresAt: userSessions.expiresAt,
      lastSeenAt: userSessions.lastSeenAt,
    })
    .from(userSessions)
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId)))
    .limit(1);
  const now = Date.now();
  if (!row || row.revokedAt || row.expiresAt.getTime() <= now) return false;
  if (now - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db
      .update(userSessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(userSessions.id, sessionId));
  }
  return true;
}

export async function revokeUserSession(sessionId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(userSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(userSessions.id, sessionId), isNull(userSessions.revokedAt)));
}

/** Ends every session of a user (all but `exceptId` when given), e.g. after a password reset. */
export async function revokeUserSessions(db: Executor, userId: string, exceptId?: string): Promise<void> {
  await db
    .update(userSessions)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(userSessions.userId, userId),
        isNull(userSessions.revokedAt),
        exceptId ? ne(userSessions.id, exceptId) : undefined,
      ),
    );
}
