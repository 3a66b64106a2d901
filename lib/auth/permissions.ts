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
  "api_keys.manage",
  "integrations.manage",
  "repos.read",
  "repos.write",
  "repos.write_default",
  "knowledge.read",
  "knowledge.write",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const viewer: Permission[] = [
  "org.read",
  "members.read",
  "projects.read",
  "runs.read",
  "repos.read",
  "knowledge.read",
];
const member: Permission[] = [
  ...viewer,
  "projects.write",
  "runs.start",
  "runs.approve",
  "repos.write",
  "knowledge.write",
];
const admin: Permission[] = [
  ...member,
  "org.manage",
  "members.invite",
  "members.manage",
  "agents.manage",
  "sso.manage",
  "audit.read",
  "api_keys.manage",
  "integrations.manage",
  "repos.write_default",
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

/** What each permission lets a key (or a person) do, for the API keys page and the API reference. */
export const PERMISSION_LABELS: Record<Permission, string> = {
  "org.read": "Read the organization",
  "org.manage": "Change the organization's settings",
  "org.delete": "Delete the organization",
  "members.read": "List members",
  "members.invite": "Invite members",
  "members.manage": "Change and remove members",
  "projects.read": "Read projects, runs' artifacts and code",
  "projects.write": "Create and change projects and plans",
  "runs.read": "Read runs, tasks, events and usage",
  "runs.start": "Start and cancel runs, work tasks as an IDE agent",
  "runs.approve": "Approve or reject gates",
  "agents.manage": "Create and change agents",
  "billing.manage": "Manage billing",
  "sso.manage": "Configure single sign-on",
  "audit.read": "Read the audit log",
  "api_keys.manage": "Create and revoke API keys",
  "integrations.manage": "Manage webhooks and MCP servers",
  "repos.read": "Clone and fetch repositories over HTTPS",
  "repos.write": "Push to branches other than the default",
  "repos.write_default": "Push to the default branch",
  "knowledge.read": "Search and read the knowledge base",
  "knowledge.write": "Upload documents and record, edit or remove insights",
};
