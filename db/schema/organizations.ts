import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgRole,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";

/** The role every app query runs as (migrations create it); row-level security applies to it. */
export const appRole = pgRole("dm_app").existing();

export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

const currentOrg = sql`nullif(current_setting('app.org_id', true), '')::uuid`;
const currentUser = sql`nullif(current_setting('app.user_id', true), '')::uuid`;

/** RLS: rows are visible and writable only inside a transaction scoped to their organization. */
export function tenantPolicy(name: string, orgColumn = sql`org_id`) {
  return pgPolicy(`${name}_tenant_isolation`, {
    as: "permissive",
    for: "all",
    to: appRole,
    using: sql`${orgColumn} = ${currentOrg}`,
    withCheck: sql`${orgColumn} = ${currentOrg}`,
  });
}

/** The organization a tenant row belongs to: required, indexed by each table, gone with the org. */
export function tenantColumn() {
  return uuid("org_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" });
}

export const organizations = pgTable(
  "organizations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    slug: text("slug").notNull().unique(),
    /** The plan whose limits apply (API rate limits today; billing sets it). */
    plan: text("plan").notNull().default("free"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  () => [
    tenantPolicy("organizations", sql`id`),
    // A user sees the organizations they belong to (the org switcher), nothing else.
    pgPolicy("organizations_member_read", {
      for: "select",
      to: appRole,
      using: sql`exists (select 1 from memberships m where m.org_id = organizations.id and m.user_id = ${currentUser})`,
    }),
  ],
).enableRLS();

export const memberships = pgTable(
  "memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("memberships_org_user_idx").on(t.orgId, t.userId),
    index("memberships_user_idx").on(t.userId),
    tenantPolicy("memberships"),
    pgPolicy("memberships_own_read", { for: "select", to: appRole, using: sql`user_id = ${currentUser}` }),
  ],
).enableRLS();

export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    email: text("email").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    invitedById: uuid("invited_by_id").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastSentAt: timestamp("last_sent_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("invitations_org_idx").on(t.orgId), tenantPolicy("invitations")],
).enableRLS();

export const auditLogs = pgTable(
  "audit_logs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_logs_org_created_idx").on(t.orgId, t.createdAt), tenantPolicy("audit_logs")],
).enableRLS();

export const ssoConnections = pgTable(
  "sso_connections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    issuer: text("issuer").notNull(),
    clientId: text("client_id").notNull(),
    /** AES-256-GCM ciphertext (lib/crypto.ts); never leaves the server. */
    clientSecretEncrypted: text("client_secret_encrypted").notNull(),
    domains: text("domains").array().notNull(),
    enforced: boolean("enforced").notNull().default(false),
    enabled: boolean("enabled").notNull().default(true),
    defaultRole: text("default_role", { enum: ROLES }).notNull().default("member"),
    /** Just-in-time membership for people of a verified domain the organization does not know yet. */
    jitEnabled: boolean("jit_enabled").notNull().default(true),
    /** Whether JIT may re-admit someone an admin removed (or who left); off, so removals stick. */
    jitReadmitRemoved: boolean("jit_readmit_removed").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("sso_connections_org_idx").on(t.orgId), tenantPolicy("sso_connections")],
).enableRLS();

export const SSO_DOMAIN_STATUSES = ["pending", "verified", "failed"] as const;
export type SsoDomainStatus = (typeof SSO_DOMAIN_STATUSES)[number];

/**
 * An email domain an organization's connection claims. It routes sign-ins, enforces "Require SSO"
 * and admits members only once the organization proved ownership with a DNS TXT record holding
 * `token` (lib/sso/verify-domain.ts). Several organizations may hold pending claims on one domain;
 * the database lets only one hold it verified. Read by the system role before anyone signs in.
 */
export const ssoDomains = pgTable(
  "sso_domains",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => ssoConnections.id, { onDelete: "cascade" }),
    domain: text("domain").notNull(),
    // The default only fills rows that predate verification; the app sets a crypto-random token.
    token: text("token").notNull().default(sql`replace(gen_random_uuid()::text, '-', '')`),
    status: text("status", { enum: SSO_DOMAIN_STATUSES }).notNull().default("pending"),
    verifiedAt: timestamp("verified_at", { withTimezone: true }),
    lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
    lastError: text("last_error"),
    /** Consecutive failed re-checks of a verified domain; it is unverified after a grace number. */
    failedChecks: integer("failed_checks").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sso_domains_org_domain_idx").on(t.orgId, t.domain),
    uniqueIndex("sso_domains_verified_domain_idx").on(t.domain).where(sql`status = 'verified'`),
    index("sso_domains_domain_idx").on(t.domain),
    tenantPolicy("sso_domains"),
  ],
).enableRLS();

/**
 * People removed from (or who left) an organization, so SSO just-in-time membership does not let
 * them straight back in. An invitation accepted again clears the row.
 */
export const membershipRemovals = pgTable(
  "membership_removals",
  {
    orgId: tenantColumn(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    removedAt: timestamp("removed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), tenantPolicy("membership_removals")],
).enableRLS();
