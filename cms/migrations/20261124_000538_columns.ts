import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_columns_frequency" AS ENUM('weekly', 'monthly', 'irregular');
  CREATE TYPE "public"."enum_columns_geometry_colour_mode" AS ENUM('grayscale', 'cmyk');
  CREATE TABLE "columns" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"name" varchar NOT NULL,
  	"slug" varchar NOT NULL,
  	"newspaper" varchar NOT NULL,
  	"frequency" "enum_columns_frequency" DEFAULT 'monthly' NOT NULL,
  	"geometry_characters_per_line" numeric,
  	"geometry_lines_per_column" numeric,
  	"geometry_columns" numeric,
  	"geometry_slot_budget" numeric,
  	"geometry_image_width_mm" numeric DEFAULT 80 NOT NULL,
  	"geometry_colour_mode" "enum_columns_geometry_colour_mode" DEFAULT 'grayscale' NOT NULL,
  	"styles_kicker" varchar DEFAULT '肩题' NOT NULL,
  	"styles_title" varchar DEFAULT '主题' NOT NULL,
  	"styles_subtitle" varchar DEFAULT '副题' NOT NULL,
  	"styles_summary" varchar DEFAULT '导语' NOT NULL,
  	"styles_body" varchar DEFAULT '正文' NOT NULL,
  	"styles_subhead" varchar DEFAULT '小标题' NOT NULL,
  	"styles_caption" varchar DEFAULT '图说' NOT NULL,
  	"styles_byline" varchar DEFAULT '作者' NOT NULL,
  	"styles_bold" varchar DEFAULT '加粗' NOT NULL,
  	"styles_italic" varchar DEFAULT '倾斜' NOT NULL,
  	"styles_link" varchar DEFAULT '链接' NOT NULL,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "column_issues_slots" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" varchar PRIMARY KEY NOT NULL,
  	"story_id" integer NOT NULL,
  	"budget" numeric,
  	"print_kicker" varchar,
  	"print_title" varchar,
  	"print_subtitle" varchar
  );
  
  CREATE TABLE "column_issues_exports" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" varchar PRIMARY KEY NOT NULL,
  	"at" timestamp(3) with time zone,
  	"overflow" numeric,
  	"detail" varchar
  );
  
  CREATE TABLE "column_issues" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"title" varchar NOT NULL,
  	"column_id" integer NOT NULL,
  	"issue_date" timestamp(3) with time zone NOT NULL,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "columns_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "column_issues_id" integer;
  ALTER TABLE "column_issues_slots" ADD CONSTRAINT "column_issues_slots_story_id_stories_id_fk" FOREIGN KEY ("story_id") REFERENCES "public"."stories"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "column_issues_slots" ADD CONSTRAINT "column_issues_slots_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."column_issues"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "column_issues_exports" ADD CONSTRAINT "column_issues_exports_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."column_issues"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "column_issues" ADD CONSTRAINT "column_issues_column_id_columns_id_fk" FOREIGN KEY ("column_id") REFERENCES "public"."columns"("id") ON DELETE set null ON UPDATE no action;
  CREATE UNIQUE INDEX "columns_name_idx" ON "columns" USING btree ("name");
  CREATE UNIQUE INDEX "columns_slug_idx" ON "columns" USING btree ("slug");
  CREATE INDEX "columns_updated_at_idx" ON "columns" USING btree ("updated_at");
  CREATE INDEX "columns_created_at_idx" ON "columns" USING btree ("created_at");
  CREATE INDEX "column_issues_slots_order_idx" ON "column_issues_slots" USING btree ("_order");
  CREATE INDEX "column_issues_slots_parent_id_idx" ON "column_issues_slots" USING btree ("_parent_id");
  CREATE INDEX "column_issues_slots_story_idx" ON "column_issues_slots" USING btree ("story_id");
  CREATE INDEX "column_issues_exports_order_idx" ON "column_issues_exports" USING btree ("_order");
  CREATE INDEX "column_issues_exports_parent_id_idx" ON "column_issues_exports" USING btree ("_parent_id");
  CREATE INDEX "column_issues_column_idx" ON "column_issues" USING btree ("column_id");
  CREATE INDEX "column_issues_issue_date_idx" ON "column_issues" USING btree ("issue_date");
  CREATE INDEX "column_issues_updated_at_idx" ON "column_issues" USING btree ("updated_at");
  CREATE INDEX "column_issues_created_at_idx" ON "column_issues" USING btree ("created_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_columns_fk" FOREIGN KEY ("columns_id") REFERENCES "public"."columns"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_column_issues_fk" FOREIGN KEY ("column_issues_id") REFERENCES "public"."column_issues"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_columns_id_idx" ON "payload_locked_documents_rels" USING btree ("columns_id");
  CREATE INDEX "payload_locked_documents_rels_column_issues_id_idx" ON "payload_locked_documents_rels" USING btree ("column_issues_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "columns" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "column_issues_slots" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "column_issues_exports" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "column_issues" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "columns" CASCADE;
  DROP TABLE "column_issues_slots" CASCADE;
  DROP TABLE "column_issues_exports" CASCADE;
  DROP TABLE "column_issues" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_columns_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_column_issues_fk";
  
  DROP INDEX "payload_locked_documents_rels_columns_id_idx";
  DROP INDEX "payload_locked_documents_rels_column_issues_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "columns_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "column_issues_id";
  DROP TYPE "public"."enum_columns_frequency";
  DROP TYPE "public"."enum_columns_geometry_colour_mode";`)
}
