import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { tenantColumn, tenantPolicy } from "./organizations";

/**
 * What connects an organization to the outside: API keys (REST, MCP, git over HTTPS), the
 * idempotency records of keyed requests, outgoing webhooks and their deliveries, and the external
 * MCP servers whose tools the org's agents may call.
 */

/**
 * An org API key. The secret is shown once; only its SHA-256 is kept. `prefix` is the visible,
 * unique start of the key (`dmk_<prefix>_<secret>`) by which it is found before its hash is compared.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    /** A subset of the permission strings (lib/auth/permissions.ts), never beyond its creator's. */
    scopes: text("scopes").array().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    lastUsedIp: text("last_used_ip"),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedById: uuid("revoked_by_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("api_keys_prefix_idx").on(t.prefix),
    index("api_keys_org_idx").on(t.orgId, t.createdAt),
    tenantPolicy("api_keys"),
  ],
).enableRLS();

/**
 * A request sent with an `Idempotency-Key`: its first answer, replayed to a retry with the same key.
 * `requestHash` tells a retry from a different request that reused the key (409).
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    /** The key (or session user) that sent it: keys are scoped per caller. */
    principal: text("principal").notNull(),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    requestHash: text("request_hash").notNull(),
    /** Null while the first request is in flight. */
    responseStatus: integer("response_status"),
    responseBody: jsonb("response_body").$type<unknown>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("idempotency_keys_caller_key_idx").on(t.orgId, t.principal, t.key),
    index("idempotency_keys_created_idx").on(t.createdAt),
    tenantPolicy("idempotency_keys"),
  ],
).enableRLS();

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "retrying", "succeeded", "failed"] as const;

/** An endpoint an org admin registered, with the events it wants; the signing secret encrypted. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    events: text("events").array().notNull(),
    /** `whsec_…` (Standard Webhooks), AES-256-GCM at rest (lib/crypto.ts). */
    secretEncrypted: text("secret_encrypted").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_endpoints_org_idx").on(t.orgId), tenantPolicy("webhook_endpoints")],
).enableRLS();

/** One message to one endpoint (`messageId` is the Standard Webhooks `webhook-id`, stable across retries). */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    messageId: text("message_id").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastDurationMs: integer("last_duration_ms"),
    lastError: text("last_error"),
    /** A resend of an earlier delivery. */
    resentFromId: uuid("resent_from_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_message_idx").on(t.endpointId, t.messageId),
    index("webhook_deliveries_org_created_idx").on(t.orgId, t.createdAt),
    tenantPolicy("webhook_deliveries"),
  ],
).enableRLS();

/** Each try of a delivery: what the receiver answered and how long it took. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull().default(0),
    error: text("error"),
    /** The first bytes of the receiver's answer. */
    responseSnippet: text("response_snippet"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("webhook_attempts_delivery_attempt_idx").on(t.deliveryId, t.attempt),
    tenantPolicy("webhook_attempts"),
  ],
).enableRLS();

export type McpToolInfo = { name: string; title?: string; description?: string; inputSchema: unknown };

/** An external MCP server (streamable HTTP) an org admin registered; headers encrypted at rest. */
export const mcpServers = pgTable(
  "mcp_servers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    name: text("name").notNull(),
    url: text("url").notNull(),
    /** JSON `{ header: value }` encrypted with lib/crypto.ts (bearer tokens and the like). */
    headersEncrypted: text("headers_encrypted"),
    /** Header names only, for display. */
    headerNames: text("header_names").array().notNull().default([]),
    enabled: boolean("enabled").notNull().default(true),
    /** The tools it listed at the last refresh. */
    tools: jsonb("tools").$type<McpToolInfo[]>().notNull().default([]),
    toolsRefreshedAt: timestamp("tools_refreshed_at", { withTimezone: true }),
    lastError: text("last_error"),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("mcp_servers_org_name_idx").on(t.orgId, t.name), tenantPolicy("mcp_servers")],
).enableRLS();

/** A tool of a registered server granted to an agent definition (by slug, built-in or the org's). */
export const mcpToolGrants = pgTable(
  "mcp_tool_grants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    serverId: uuid("server_id")
      .notNull()
      .references(() => mcpServers.id, { onDelete: "cascade" }),
    toolName: text("tool_name").notNull(),
    agentSlug: text("agent_slug").notNull(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("mcp_tool_grants_unique_idx").on(t.orgId, t.serverId, t.toolName, t.agentSlug),
    index("mcp_tool_grants_org_agent_idx").on(t.orgId, t.agentSlug),
    tenantPolicy("mcp_tool_grants"),
  ],
).enableRLS();
