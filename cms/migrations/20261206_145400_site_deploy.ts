import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

/**
 * The CDN purge job (`cdnPurge`), and what the site bucket holds, outside Payload's schema (no
 * collection: only site builds write it, see cms/publishing/site/deployedObjects.ts): one row
 * an object key of each bucket and prefix, the sha256 of the bytes last uploaded (null once
 * deleted) and whether the CDN has yet to hear of the change.
 */
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'cdnPurge';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'cdnPurge';
  CREATE TABLE "site_deploy_objects" (
    "target" text NOT NULL,
    "key" text NOT NULL,
    "sha256" char(64),
    "needs_purge" boolean DEFAULT false NOT NULL,
    PRIMARY KEY ("target", "key")
  );`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
  DROP TABLE "site_deploy_objects";
  DELETE FROM "payload_jobs" WHERE "task_slug" = 'cdnPurge';
  DELETE FROM "payload_jobs_log" WHERE "task_slug" = 'cdnPurge';
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_log_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_log_task_slug" AS ENUM('inline', 'storySchedule', 'siteBuild', 'partnerWebhook');
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_log_task_slug" USING "task_slug"::"public"."enum_payload_jobs_log_task_slug";
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_task_slug" AS ENUM('inline', 'storySchedule', 'siteBuild', 'partnerWebhook');
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_task_slug" USING "task_slug"::"public"."enum_payload_jobs_task_slug";`)
}
