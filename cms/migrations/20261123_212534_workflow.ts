import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_stories_stage_history_from" AS ENUM('draft', 'in_review', 'approved', 'scheduled', 'published', 'corrected', 'withdrawn');
  CREATE TYPE "public"."enum_stories_stage_history_to" AS ENUM('draft', 'in_review', 'approved', 'scheduled', 'published', 'corrected', 'withdrawn');
  CREATE TYPE "public"."enum_stories_stage" AS ENUM('draft', 'in_review', 'approved', 'scheduled', 'published', 'corrected', 'withdrawn');
  CREATE TYPE "public"."enum__stories_v_version_stage_history_from" AS ENUM('draft', 'in_review', 'approved', 'scheduled', 'published', 'corrected', 'withdrawn');
  CREATE TYPE "public"."enum__stories_v_version_stage_history_to" AS ENUM('draft', 'in_review', 'approved', 'scheduled', 'published', 'corrected', 'withdrawn');
  CREATE TYPE "public"."enum__stories_v_version_stage" AS ENUM('draft', 'in_review', 'approved', 'scheduled', 'published', 'corrected', 'withdrawn');
  CREATE TABLE "stories_corrections" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" varchar PRIMARY KEY NOT NULL,
  	"note" varchar,
  	"at" timestamp(3) with time zone
  );
  
  CREATE TABLE "stories_stage_history" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" varchar PRIMARY KEY NOT NULL,
  	"from" "enum_stories_stage_history_from",
  	"to" "enum_stories_stage_history_to",
  	"by_id" integer,
  	"at" timestamp(3) with time zone
  );
  
  CREATE TABLE "_stories_v_version_corrections" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" serial PRIMARY KEY NOT NULL,
  	"note" varchar,
  	"at" timestamp(3) with time zone,
  	"_uuid" varchar
  );
  
  CREATE TABLE "_stories_v_version_stage_history" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" serial PRIMARY KEY NOT NULL,
  	"from" "enum__stories_v_version_stage_history_from",
  	"to" "enum__stories_v_version_stage_history_to",
  	"by_id" integer,
  	"at" timestamp(3) with time zone,
  	"_uuid" varchar
  );
  
  ALTER TABLE "stories" ADD COLUMN "stage" "enum_stories_stage" DEFAULT 'draft';
  ALTER TABLE "stories" ADD COLUMN "embargo_until" timestamp(3) with time zone;
  ALTER TABLE "stories" ADD COLUMN "withdrawn_reason" varchar;
  ALTER TABLE "stories" ADD COLUMN "internal_notes" varchar;
  ALTER TABLE "stories" ADD COLUMN "created_by_id" integer;
  ALTER TABLE "_stories_v" ADD COLUMN "version_stage" "enum__stories_v_version_stage" DEFAULT 'draft';
  ALTER TABLE "_stories_v" ADD COLUMN "version_embargo_until" timestamp(3) with time zone;
  ALTER TABLE "_stories_v" ADD COLUMN "version_withdrawn_reason" varchar;
  ALTER TABLE "_stories_v" ADD COLUMN "version_internal_notes" varchar;
  ALTER TABLE "_stories_v" ADD COLUMN "version_created_by_id" integer;
  ALTER TABLE "stories_corrections" ADD CONSTRAINT "stories_corrections_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."stories"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "stories_stage_history" ADD CONSTRAINT "stories_stage_history_by_id_users_id_fk" FOREIGN KEY ("by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "stories_stage_history" ADD CONSTRAINT "stories_stage_history_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."stories"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "_stories_v_version_corrections" ADD CONSTRAINT "_stories_v_version_corrections_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."_stories_v"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "_stories_v_version_stage_history" ADD CONSTRAINT "_stories_v_version_stage_history_by_id_users_id_fk" FOREIGN KEY ("by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "_stories_v_version_stage_history" ADD CONSTRAINT "_stories_v_version_stage_history_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."_stories_v"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "stories_corrections_order_idx" ON "stories_corrections" USING btree ("_order");
  CREATE INDEX "stories_corrections_parent_id_idx" ON "stories_corrections" USING btree ("_parent_id");
  CREATE INDEX "stories_stage_history_order_idx" ON "stories_stage_history" USING btree ("_order");
  CREATE INDEX "stories_stage_history_parent_id_idx" ON "stories_stage_history" USING btree ("_parent_id");
  CREATE INDEX "stories_stage_history_by_idx" ON "stories_stage_history" USING btree ("by_id");
  CREATE INDEX "_stories_v_version_corrections_order_idx" ON "_stories_v_version_corrections" USING btree ("_order");
  CREATE INDEX "_stories_v_version_corrections_parent_id_idx" ON "_stories_v_version_corrections" USING btree ("_parent_id");
  CREATE INDEX "_stories_v_version_stage_history_order_idx" ON "_stories_v_version_stage_history" USING btree ("_order");
  CREATE INDEX "_stories_v_version_stage_history_parent_id_idx" ON "_stories_v_version_stage_history" USING btree ("_parent_id");
  CREATE INDEX "_stories_v_version_stage_history_by_idx" ON "_stories_v_version_stage_history" USING btree ("by_id");
  ALTER TABLE "stories" ADD CONSTRAINT "stories_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "_stories_v" ADD CONSTRAINT "_stories_v_version_created_by_id_users_id_fk" FOREIGN KEY ("version_created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "stories_stage_idx" ON "stories" USING btree ("stage");
  CREATE INDEX "stories_embargo_until_idx" ON "stories" USING btree ("embargo_until");
  CREATE INDEX "stories_created_by_idx" ON "stories" USING btree ("created_by_id");
  CREATE INDEX "_stories_v_version_version_stage_idx" ON "_stories_v" USING btree ("version_stage");
  CREATE INDEX "_stories_v_version_version_embargo_until_idx" ON "_stories_v" USING btree ("version_embargo_until");
  CREATE INDEX "_stories_v_version_version_created_by_idx" ON "_stories_v" USING btree ("version_created_by_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "stories_corrections" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "stories_stage_history" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "_stories_v_version_corrections" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "_stories_v_version_stage_history" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "stories_corrections" CASCADE;
  DROP TABLE "stories_stage_history" CASCADE;
  DROP TABLE "_stories_v_version_corrections" CASCADE;
  DROP TABLE "_stories_v_version_stage_history" CASCADE;
  ALTER TABLE "stories" DROP CONSTRAINT "stories_created_by_id_users_id_fk";
  
  ALTER TABLE "_stories_v" DROP CONSTRAINT "_stories_v_version_created_by_id_users_id_fk";
  
  DROP INDEX "stories_stage_idx";
  DROP INDEX "stories_embargo_until_idx";
  DROP INDEX "stories_created_by_idx";
  DROP INDEX "_stories_v_version_version_stage_idx";
  DROP INDEX "_stories_v_version_version_embargo_until_idx";
  DROP INDEX "_stories_v_version_version_created_by_idx";
  ALTER TABLE "stories" DROP COLUMN "stage";
  ALTER TABLE "stories" DROP COLUMN "embargo_until";
  ALTER TABLE "stories" DROP COLUMN "withdrawn_reason";
  ALTER TABLE "stories" DROP COLUMN "internal_notes";
  ALTER TABLE "stories" DROP COLUMN "created_by_id";
  ALTER TABLE "_stories_v" DROP COLUMN "version_stage";
  ALTER TABLE "_stories_v" DROP COLUMN "version_embargo_until";
  ALTER TABLE "_stories_v" DROP COLUMN "version_withdrawn_reason";
  ALTER TABLE "_stories_v" DROP COLUMN "version_internal_notes";
  ALTER TABLE "_stories_v" DROP COLUMN "version_created_by_id";
  DROP TYPE "public"."enum_stories_stage_history_from";
  DROP TYPE "public"."enum_stories_stage_history_to";
  DROP TYPE "public"."enum_stories_stage";
  DROP TYPE "public"."enum__stories_v_version_stage_history_from";
  DROP TYPE "public"."enum__stories_v_version_stage_history_to";
  DROP TYPE "public"."enum__stories_v_version_stage";`)
}
