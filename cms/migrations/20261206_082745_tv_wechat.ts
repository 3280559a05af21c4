import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_tv_programmes_weekly_slot_weekday" AS ENUM('1', '2', '3', '4', '5', '6', '7');
  CREATE TYPE "public"."enum_tv_episodes_segments_shots_voice" AS ENUM('narration', 'sync');
  CREATE TYPE "public"."enum_wechat_pushes_action" AS ENUM('add', 'update');
  CREATE TYPE "public"."enum_wechat_pushes_status" AS ENUM('pushed', 'failed');
  CREATE TYPE "public"."enum_wechat_assets_purpose" AS ENUM('body', 'cover');
  CREATE TABLE "tv_programmes" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"name" varchar NOT NULL,
  	"slug" varchar NOT NULL,
  	"station" varchar,
  	"weekly_slot_weekday" "enum_tv_programmes_weekly_slot_weekday",
  	"weekly_slot_time" varchar,
  	"segment_budget_seconds" numeric DEFAULT 300 NOT NULL,
  	"pace" numeric DEFAULT 240 NOT NULL,
  	"subtitle_line_length" numeric DEFAULT 16 NOT NULL,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "tv_episodes_segments_shots" (
  	"_order" integer NOT NULL,
  	"_parent_id" varchar NOT NULL,
  	"id" varchar PRIMARY KEY NOT NULL,
  	"paragraph" numeric NOT NULL,
  	"visual" varchar,
  	"voice" "enum_tv_episodes_segments_shots_voice",
  	"text" varchar
  );
  
  CREATE TABLE "tv_episodes_segments" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" varchar PRIMARY KEY NOT NULL,
  	"story_id" integer NOT NULL,
  	"budget_seconds" numeric,
  	"tv_title" varchar,
  	"lead" varchar
  );
  
  CREATE TABLE "tv_episodes" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"title" varchar NOT NULL,
  	"programme_id" integer NOT NULL,
  	"air_date" timestamp(3) with time zone NOT NULL,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "wechat_pushes" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"story_id" integer NOT NULL,
  	"action" "enum_wechat_pushes_action" NOT NULL,
  	"status" "enum_wechat_pushes_status" NOT NULL,
  	"media_id" varchar,
  	"story_version" numeric,
  	"app_id" varchar,
  	"characters" numeric,
  	"bytes" numeric,
  	"error" varchar,
  	"by_id" integer,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "wechat_assets" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"key" varchar NOT NULL,
  	"app_id" varchar NOT NULL,
  	"purpose" "enum_wechat_assets_purpose" NOT NULL,
  	"image_id" integer,
  	"media_id" varchar,
  	"url" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "stories" ADD COLUMN "wechat_title" varchar;
  ALTER TABLE "stories" ADD COLUMN "wechat_digest" varchar;
  ALTER TABLE "_stories_v" ADD COLUMN "version_wechat_title" varchar;
  ALTER TABLE "_stories_v" ADD COLUMN "version_wechat_digest" varchar;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "tv_programmes_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "tv_episodes_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "wechat_pushes_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "wechat_assets_id" integer;
  ALTER TABLE "tv_episodes_segments_shots" ADD CONSTRAINT "tv_episodes_segments_shots_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."tv_episodes_segments"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "tv_episodes_segments" ADD CONSTRAINT "tv_episodes_segments_story_id_stories_id_fk" FOREIGN KEY ("story_id") REFERENCES "public"."stories"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "tv_episodes_segments" ADD CONSTRAINT "tv_episodes_segments_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."tv_episodes"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "tv_episodes" ADD CONSTRAINT "tv_episodes_programme_id_tv_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."tv_programmes"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "wechat_pushes" ADD CONSTRAINT "wechat_pushes_story_id_stories_id_fk" FOREIGN KEY ("story_id") REFERENCES "public"."stories"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "wechat_pushes" ADD CONSTRAINT "wechat_pushes_by_id_users_id_fk" FOREIGN KEY ("by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "wechat_assets" ADD CONSTRAINT "wechat_assets_image_id_media_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."media"("id") ON DELETE set null ON UPDATE no action;
  CREATE UNIQUE INDEX "tv_programmes_name_idx" ON "tv_programmes" USING btree ("name");
  CREATE UNIQUE INDEX "tv_programmes_slug_idx" ON "tv_programmes" USING btree ("slug");
  CREATE INDEX "tv_programmes_updated_at_idx" ON "tv_programmes" USING btree ("updated_at");
  CREATE INDEX "tv_programmes_created_at_idx" ON "tv_programmes" USING btree ("created_at");
  CREATE INDEX "tv_episodes_segments_shots_order_idx" ON "tv_episodes_segments_shots" USING btree ("_order");
  CREATE INDEX "tv_episodes_segments_shots_parent_id_idx" ON "tv_episodes_segments_shots" USING btree ("_parent_id");
  CREATE INDEX "tv_episodes_segments_order_idx" ON "tv_episodes_segments" USING btree ("_order");
  CREATE INDEX "tv_episodes_segments_parent_id_idx" ON "tv_episodes_segments" USING btree ("_parent_id");
  CREATE INDEX "tv_episodes_segments_story_idx" ON "tv_episodes_segments" USING btree ("story_id");
  CREATE INDEX "tv_episodes_programme_idx" ON "tv_episodes" USING btree ("programme_id");
  CREATE INDEX "tv_episodes_air_date_idx" ON "tv_episodes" USING btree ("air_date");
  CREATE INDEX "tv_episodes_updated_at_idx" ON "tv_episodes" USING btree ("updated_at");
  CREATE INDEX "tv_episodes_created_at_idx" ON "tv_episodes" USING btree ("created_at");
  CREATE INDEX "wechat_pushes_story_idx" ON "wechat_pushes" USING btree ("story_id");
  CREATE INDEX "wechat_pushes_media_id_idx" ON "wechat_pushes" USING btree ("media_id");
  CREATE INDEX "wechat_pushes_by_idx" ON "wechat_pushes" USING btree ("by_id");
  CREATE INDEX "wechat_pushes_updated_at_idx" ON "wechat_pushes" USING btree ("updated_at");
  CREATE INDEX "wechat_pushes_created_at_idx" ON "wechat_pushes" USING btree ("created_at");
  CREATE UNIQUE INDEX "wechat_assets_key_idx" ON "wechat_assets" USING btree ("key");
  CREATE INDEX "wechat_assets_image_idx" ON "wechat_assets" USING btree ("image_id");
  CREATE INDEX "wechat_assets_updated_at_idx" ON "wechat_assets" USING btree ("updated_at");
  CREATE INDEX "wechat_assets_created_at_idx" ON "wechat_assets" USING btree ("created_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_tv_programmes_fk" FOREIGN KEY ("tv_programmes_id") REFERENCES "public"."tv_programmes"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_tv_episodes_fk" FOREIGN KEY ("tv_episodes_id") REFERENCES "public"."tv_episodes"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_wechat_pushes_fk" FOREIGN KEY ("wechat_pushes_id") REFERENCES "public"."wechat_pushes"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_wechat_assets_fk" FOREIGN KEY ("wechat_assets_id") REFERENCES "public"."wechat_assets"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_tv_programmes_id_idx" ON "payload_locked_documents_rels" USING btree ("tv_programmes_id");
  CREATE INDEX "payload_locked_documents_rels_tv_episodes_id_idx" ON "payload_locked_documents_rels" USING btree ("tv_episodes_id");
  CREATE INDEX "payload_locked_documents_rels_wechat_pushes_id_idx" ON "payload_locked_documents_rels" USING btree ("wechat_pushes_id");
  CREATE INDEX "payload_locked_documents_rels_wechat_assets_id_idx" ON "payload_locked_documents_rels" USING btree ("wechat_assets_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "tv_programmes" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "tv_episodes_segments_shots" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "tv_episodes_segments" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "tv_episodes" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "wechat_pushes" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "wechat_assets" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "tv_programmes" CASCADE;
  DROP TABLE "tv_episodes_segments_shots" CASCADE;
  DROP TABLE "tv_episodes_segments" CASCADE;
  DROP TABLE "tv_episodes" CASCADE;
  DROP TABLE "wechat_pushes" CASCADE;
  DROP TABLE "wechat_assets" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_tv_programmes_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_tv_episodes_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_wechat_pushes_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_wechat_assets_fk";
  
  DROP INDEX "payload_locked_documents_rels_tv_programmes_id_idx";
  DROP INDEX "payload_locked_documents_rels_tv_episodes_id_idx";
  DROP INDEX "payload_locked_documents_rels_wechat_pushes_id_idx";
  DROP INDEX "payload_locked_documents_rels_wechat_assets_id_idx";
  ALTER TABLE "stories" DROP COLUMN "wechat_title";
  ALTER TABLE "stories" DROP COLUMN "wechat_digest";
  ALTER TABLE "_stories_v" DROP COLUMN "version_wechat_title";
  ALTER TABLE "_stories_v" DROP COLUMN "version_wechat_digest";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "tv_programmes_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "tv_episodes_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "wechat_pushes_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "wechat_assets_id";
  DROP TYPE "public"."enum_tv_programmes_weekly_slot_weekday";
  DROP TYPE "public"."enum_tv_episodes_segments_shots_voice";
  DROP TYPE "public"."enum_wechat_pushes_action";
  DROP TYPE "public"."enum_wechat_pushes_status";
  DROP TYPE "public"."enum_wechat_assets_purpose";`)
}
