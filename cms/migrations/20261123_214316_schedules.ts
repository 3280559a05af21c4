import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_schedule_runs_action" AS ENUM('publish', 'unpublish');
  CREATE TYPE "public"."enum_schedule_runs_status" AS ENUM('claimed', 'done', 'skipped');
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'storySchedule' BEFORE 'schedulePublish';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'storySchedule' BEFORE 'schedulePublish';
  CREATE TABLE "schedule_runs" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"job_id" varchar NOT NULL,
  	"story_id" integer,
  	"action" "enum_schedule_runs_action" NOT NULL,
  	"due_at" timestamp(3) with time zone NOT NULL,
  	"status" "enum_schedule_runs_status" NOT NULL,
  	"claimed_at" timestamp(3) with time zone,
  	"fired_at" timestamp(3) with time zone,
  	"is_late" boolean,
  	"late_by_seconds" numeric,
  	"note" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "schedule_runs_id" integer;
  ALTER TABLE "schedule_runs" ADD CONSTRAINT "schedule_runs_story_id_stories_id_fk" FOREIGN KEY ("story_id") REFERENCES "public"."stories"("id") ON DELETE set null ON UPDATE no action;
  CREATE UNIQUE INDEX "schedule_runs_job_id_idx" ON "schedule_runs" USING btree ("job_id");
  CREATE INDEX "schedule_runs_story_idx" ON "schedule_runs" USING btree ("story_id");
  CREATE INDEX "schedule_runs_updated_at_idx" ON "schedule_runs" USING btree ("updated_at");
  CREATE INDEX "schedule_runs_created_at_idx" ON "schedule_runs" USING btree ("created_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_schedule_runs_fk" FOREIGN KEY ("schedule_runs_id") REFERENCES "public"."schedule_runs"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_schedule_runs_id_idx" ON "payload_locked_documents_rels" USING btree ("schedule_runs_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "schedule_runs" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "schedule_runs" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_schedule_runs_fk";
  
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_log_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_log_task_slug" AS ENUM('inline', 'schedulePublish');
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_log_task_slug" USING "task_slug"::"public"."enum_payload_jobs_log_task_slug";
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_task_slug" AS ENUM('inline', 'schedulePublish');
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_task_slug" USING "task_slug"::"public"."enum_payload_jobs_task_slug";
  DROP INDEX "payload_locked_documents_rels_schedule_runs_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "schedule_runs_id";
  DROP TYPE "public"."enum_schedule_runs_action";
  DROP TYPE "public"."enum_schedule_runs_status";`)
}
