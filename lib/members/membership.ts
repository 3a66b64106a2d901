import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { memberships, organizations, type Role } from "@/db/schema";
import { AppError } from "@/lib/errors";

export type MembershipRow = { id: string; userId: string; role: Role };

/**
 * Serializes membership changes within one organization by locking its row. Locking member rows
 * one by one could deadlock two owners demoting each other; this lock is taken first, always.
 * NO KEY UPDATE leaves concurrent inserts that reference the organization (audit rows) unblocked.
 */
export async function lockMemberships(tx: Tx, orgId: string): Promise<void> {
  await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, orgId))
    .for("no key update");
}

/** One membership of this organization, locked for the rest of the transaction. */
export async function findMembershipForUpdate(
  tx: Tx,
  orgId: string,
  where: { id: string } | { userId: string },
): Promise<MembershipRow | undefined> {
  const match = "id" in where ? eq(memberships.id, where.id) : eq(memberships.userId, where.userId);
  const [row] = await tx
    .select({ id: memberships.id, userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), match))
    .for("update");
  return row;
}

/** Refuses a change that would leave the organization without an owner (call after `lockMemberships`). */
export async function assertAnotherOwner(tx: Tx, orgId: string, leavingMembershipId: string): Promise<void> {
  const owners = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
  if (!owners.some((o) => o.id !== leavingMembershipId)) {
    throw new AppError(
      "conflict",
      "An organization needs at least one owner. Make another member an owner first.",
    );
  }
}
