CREATE TABLE "checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"run_id" uuid,
	"task_id" uuid,
	"attempt" integer,
	"scope" text NOT NULL,
	"branch" text NOT NULL,
	"commit_sha" text,
	"kind" text NOT NULL,
	"command" text NOT NULL,
	"status" text NOT NULL,
	"exit_code" integer,
	"duration_ms" integer DEFAULT 0 NOT NULL,
	"counts" jsonb,
	"log" text DEFAULT '' NOT NULL,
	"output_bytes" integer DEFAULT 0 NOT NULL,
	"truncated" boolean DEFAULT false NOT NULL,
	"driver" text NOT NULL,
	"network" boolean DEFAULT false NOT NULL,
	"reason" text,
	"cpu_ms" integer,
	"max_rss_kb" integer,
	"step_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "checks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "org_ai_settings" ADD COLUMN "install_with_network" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "project_repositories" ADD COLUMN "lint_command" text;--> statement-breakpoint
ALTER TABLE "project_repositories" ADD COLUMN "sandbox_image" text;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_task_id_run_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."run_tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "checks_step_kind_idx" ON "checks" USING btree ("org_id","step_key","kind");--> statement-breakpoint
CREATE INDEX "checks_org_run_idx" ON "checks" USING btree ("org_id","run_id","created_at");--> statement-breakpoint
CREATE INDEX "checks_org_project_branch_idx" ON "checks" USING btree ("org_id","project_id","branch","created_at");--> statement-breakpoint
CREATE POLICY "checks_tenant_isolation" ON "checks" AS PERMISSIVE FOR ALL TO "dm_app" USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);