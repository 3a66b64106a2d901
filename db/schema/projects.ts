import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { tenantColumn, tenantPolicy } from "./organizations";

export const PROJECT_STATUSES = ["active", "archived"] as const;

export const projects = pgTable(
  "projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    description: text("description").notNull().default(""),
    brief: text("brief").notNull().default(""),
    /** Shared context agents (ours and IDE agents over MCP) read and update: conventions, decisions. */
    context: text("context").notNull().default(""),
    status: text("status", { enum: PROJECT_STATUSES }).notNull().default("active"),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("projects_org_slug_idx").on(t.orgId, t.slug),
    index("projects_org_idx").on(t.orgId),
    tenantPolicy("projects"),
  ],
).enableRLS();
