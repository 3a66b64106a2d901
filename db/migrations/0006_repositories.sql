CREATE TABLE "project_repositories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"default_branch" text DEFAULT 'main' NOT NULL,
	"remote_url" text,
	"remote_provider" text,
	"remote_repo" text,
	"remote_token_encrypted" text,
	"test_command" text,
	"build_command" text,
	"install_command" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "project_repositories" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "run_tasks" ADD COLUMN "commit_sha" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "number" integer;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "branch" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "base_commit" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "head_commit" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "pushed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "pull_request_url" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "forked_from_run_id" uuid;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "forked_from_task_id" uuid;--> statement-breakpoint
ALTER TABLE "project_repositories" ADD CONSTRAINT "project_repositories_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_repositories" ADD CONSTRAINT "project_repositories_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "project_repositories_project_idx" ON "project_repositories" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "project_repositories_org_idx" ON "project_repositories" USING btree ("org_id");--> statement-breakpoint
UPDATE "runs" SET "number" = n.rn FROM (SELECT "id", row_number() OVER (PARTITION BY "project_id" ORDER BY "created_at", "id") AS rn FROM "runs") n WHERE "runs"."id" = n."id";--> statement-breakpoint
CREATE UNIQUE INDEX "runs_project_number_idx" ON "runs" USING btree ("project_id","number");--> statement-breakpoint
CREATE POLICY "project_repositories_tenant_isolation" ON "project_repositories" AS PERMISSIVE FOR ALL TO "dm_app" USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);