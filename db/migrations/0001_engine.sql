CREATE SEQUENCE "public"."engine_step_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "engine_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"payload" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "engine_events_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "engine_jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"run_id" text,
	"function_id" text NOT NULL,
	"step_id" text DEFAULT '' NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"again" boolean DEFAULT false NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claim" text,
	"lease_until" timestamp with time zone,
	"concurrency" jsonb,
	"wait_event" text,
	"wait_if" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "engine_jobs_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "engine_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"function_id" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"event_id" text,
	"event" text NOT NULL,
	"concurrency" jsonb,
	"output" text,
	"error" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"parent_run_id" text,
	"parent_step_id" text,
	"replay_of" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "engine_steps" (
	"run_id" text NOT NULL,
	"hashed_id" text NOT NULL,
	"step_id" text NOT NULL,
	"name" text NOT NULL,
	"op" text NOT NULL,
	"status" text NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"output" text,
	"error" jsonb,
	"opts" jsonb,
	"seq" bigint,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "engine_steps_run_id_hashed_id_pk" PRIMARY KEY("run_id","hashed_id")
);
--> statement-breakpoint
ALTER TABLE "engine_jobs" ADD CONSTRAINT "engine_jobs_run_id_engine_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."engine_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engine_steps" ADD CONSTRAINT "engine_steps_run_id_engine_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."engine_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "engine_events_pending_idx" ON "engine_events" USING btree ("seq") WHERE "engine_events"."processed_at" is null;--> statement-breakpoint
CREATE INDEX "engine_events_received_idx" ON "engine_events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "engine_jobs_ready_idx" ON "engine_jobs" USING btree ("available_at","id") WHERE "engine_jobs"."claim" is null;--> statement-breakpoint
CREATE INDEX "engine_jobs_lease_idx" ON "engine_jobs" USING btree ("lease_until") WHERE "engine_jobs"."claim" is not null;--> statement-breakpoint
CREATE INDEX "engine_jobs_wait_idx" ON "engine_jobs" USING btree ("wait_event") WHERE "engine_jobs"."kind" = 'wait';--> statement-breakpoint
CREATE INDEX "engine_jobs_run_idx" ON "engine_jobs" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "engine_runs_created_idx" ON "engine_runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "engine_runs_function_idx" ON "engine_runs" USING btree ("function_id","created_at");--> statement-breakpoint
CREATE INDEX "engine_runs_status_idx" ON "engine_runs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "engine_steps_run_seq_idx" ON "engine_steps" USING btree ("run_id","seq");--> statement-breakpoint
-- Engine tables are not tenant tables (no org_id, no RLS): only the owner connection may use them.
REVOKE ALL ON TABLE "engine_events", "engine_runs", "engine_steps", "engine_jobs" FROM dm_app;--> statement-breakpoint
REVOKE ALL ON SEQUENCE "engine_events_seq_seq", "engine_jobs_id_seq", "engine_step_seq" FROM dm_app;
