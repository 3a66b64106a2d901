import { randomUUID } from "node:crypto";
import { getDb } from "@/db";
import { memberships, organizations, type Role, users } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/session";

const uid = () => randomUUID().slice(0, 8);

/** Seeds with the owner connection: fixtures, not the code under test. */
export async function createUser(name = "Test User"): Promise<SessionUser> {
  const db = await getDb();
  const email = `user-${uid()}@example.test`;
  const [u] = await db.insert(users).values({ email, name, emailVerified: new Date() }).returning();
  if (!u) throw new Error("user not created");
  return { id: u.id, email: u.email, name: u.name };
}

export async function createOrg(owner: SessionUser, name = "Acme") {
  const db = await getDb();
  const [org] = await db
    .insert(organizations)
    .values({ name, slug: `acme-${uid()}` })
    .returning();
  if (!org) throw new Error("org not created");
  await db.insert(memberships).values({ orgId: org.id, userId: owner.id, role: "owner" });
  return org;
}

export async function addMember(orgId: string, role: Role, name = `${role} user`) {
  const db = await getDb();
  const user = await createUser(name);
  await db.insert(memberships).values({ orgId, userId: user.id, role });
  return user;
}

/** An organization with one user of every role, and an outsider who belongs to another org. */
export async function createTeam() {
  const owner = await createUser("Owner");
  const org = await createOrg(owner);
  const admin = await addMember(org.id, "admin");
  const member = await addMember(org.id, "member");
  const viewer = await addMember(org.id, "viewer");
  const outsider = await createUser("Outsider");
  const otherOrg = await createOrg(outsider, "Other");
  return { org, owner, admin, member, viewer, outsider, otherOrg };
}
