import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenantColumn, tenantPolicy } from "./organizations";
import { projects } from "./projects";

export const REMOTE_PROVIDERS = ["git", "github"] as const;
export type RemoteProvider = (typeof REMOTE_PROVIDERS)[number];

/**
 * A project's git repository. The origin is a bare repository under REPOS_DIR (a shared volume in
 * production), addressed by org and project id, never by a name a tenant chose. A connected remote
 * is where run branches are pushed and pull requests opened; its token is encrypted at rest.
 */
export const projectRepositories = pgTable(
  "project_repositories",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: tenantColumn(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    defaultBranch: text("default_branch").notNull().default("main"),
    /** Credential-free https URL of the connected remote (import source or push target). */
    remoteUrl: text("remote_url"),
    remoteProvider: text("remote_provider", { enum: REMOTE_PROVIDERS }),
    /** "owner/name" on GitHub, for pull requests. */
    remoteRepo: text("remote_repo"),
    remoteTokenEncrypted: text("remote_token_encrypted"),
    /** The project's own commands, detected from package.json / pyproject / Makefile, then editable. */
    testCommand: text("test_command"),
    buildCommand: text("build_command"),
    installCommand: text("install_command"),
    lintCommand: text("lint_command"),
    /** The container image the docker sandbox runs this project's commands in (default from env). */
    sandboxImage: text("sandbox_image"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("project_repositories_project_idx").on(t.projectId),
    index("project_repositories_org_idx").on(t.orgId),
    tenantPolicy("project_repositories"),
  ],
).enableRLS();
