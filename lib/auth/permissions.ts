import { ROLES, type Role } from "@/db/schema";

/**
 * The one place roles map to permissions. Code checks permissions, never role names.
 */
export const PERMISSIONS = [
  "org.read",
  "org.manage",
  "org.delete",
  "members.read",
  "members.invite",
  "members.manage",
  "projects.read",
  "projects.write",
  "runs.read",
  "runs.start",
  "runs.approve",
  "agents.manage",
  "billing.manage",
  "sso.manage",
  "audit.read",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const viewer: Permission[] = ["org.read", "members.read", "projects.read", "runs.read"];
const member: Permission[] = [...viewer, "projects.write", "runs.start", "runs.approve"];
const admin: Permission[] = [
  ...member,
  "org.manage",
  "members.invite",
  "members.manage",
  "agents.manage",
  "sso.manage",
  "audit.read",
];
const owner: Permission[] = [...admin, "org.delete", "billing.manage"];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(owner),
  admin: new Set(admin),
  member: new Set(member),
  viewer: new Set(viewer),
};

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
  viewer: "Viewer",
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** Higher rank can do at least what a lower one can; used so nobody grants above their own role. */
export function roleRank(role: Role): number {
  return ROLES.length - ROLES.indexOf(role);
}

export function canGrant(actor: Role, target: Role): boolean {
  return roleRank(target) <= roleRank(actor);
}

export function permissionsOf(role: Role): Permission[] {
  return [...ROLE_PERMISSIONS[role]];
}
