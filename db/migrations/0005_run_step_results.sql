CREATE TABLE "approval_outbox" (
	"approval_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "approval_outbox" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "run_step_results" (
	"org_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"key" text NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "run_step_results" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "approval_outbox" ADD CONSTRAINT "approval_outbox_approval_id_approvals_id_fk" FOREIGN KEY ("approval_id") REFERENCES "public"."approvals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_outbox" ADD CONSTRAINT "approval_outbox_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_outbox" ADD CONSTRAINT "approval_outbox_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_step_results" ADD CONSTRAINT "run_step_results_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_step_results" ADD CONSTRAINT "run_step_results_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approval_outbox_unsent_idx" ON "approval_outbox" USING btree ("sent_at");--> statement-breakpoint
CREATE UNIQUE INDEX "run_step_results_run_key_idx" ON "run_step_results" USING btree ("run_id","key");--> statement-breakpoint
CREATE INDEX "run_step_results_org_idx" ON "run_step_results" USING btree ("org_id");--> statement-breakpoint
CREATE POLICY "approval_outbox_tenant_isolation" ON "approval_outbox" AS PERMISSIVE FOR ALL TO "dm_app" USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "run_step_results_tenant_isolation" ON "run_step_results" AS PERMISSIVE FOR ALL TO "dm_app" USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);