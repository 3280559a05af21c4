import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TYPE "public"."enum_users_role" ADD VALUE 'chief' BEFORE 'editor';
  ALTER TYPE "public"."enum_users_role" ADD VALUE 'deskHead' BEFORE 'editor';
  CREATE TABLE "stories_signatures" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" varchar PRIMARY KEY NOT NULL,
  	"level" numeric,
  	"by_id" integer,
  	"at" timestamp(3) with time zone,
  	"note" varchar,
  	"fingerprint" varchar,
  	"voided_at" timestamp(3) with time zone,
  	"void_reason" varchar
  );
  
  CREATE TABLE "_stories_v_version_signatures" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" serial PRIMARY KEY NOT NULL,
  	"level" numeric,
  	"by_id" integer,
  	"at" timestamp(3) with time zone,
  	"note" varchar,
  	"fingerprint" varchar,
  	"voided_at" timestamp(3) with time zone,
  	"void_reason" varchar,
  	"_uuid" varchar
  );
  
  ALTER TABLE "sections" ADD COLUMN "review_levels" numeric DEFAULT 2;
  ALTER TABLE "stories_signatures" ADD CONSTRAINT "stories_signatures_by_id_users_id_fk" FOREIGN KEY ("by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "stories_signatures" ADD CONSTRAINT "stories_signatures_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."stories"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "_stories_v_version_signatures" ADD CONSTRAINT "_stories_v_version_signatures_by_id_users_id_fk" FOREIGN KEY ("by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "_stories_v_version_signatures" ADD CONSTRAINT "_stories_v_version_signatures_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."_stories_v"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "stories_signatures_order_idx" ON "stories_signatures" USING btree ("_order");
  CREATE INDEX "stories_signatures_parent_id_idx" ON "stories_signatures" USING btree ("_parent_id");
  CREATE INDEX "stories_signatures_by_idx" ON "stories_signatures" USING btree ("by_id");
  CREATE INDEX "_stories_v_version_signatures_order_idx" ON "_stories_v_version_signatures" USING btree ("_order");
  CREATE INDEX "_stories_v_version_signatures_parent_id_idx" ON "_stories_v_version_signatures" USING btree ("_parent_id");
  CREATE INDEX "_stories_v_version_signatures_by_idx" ON "_stories_v_version_signatures" USING btree ("by_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP TABLE "stories_signatures" CASCADE;
  DROP TABLE "_stories_v_version_signatures" CASCADE;
  ALTER TABLE "users" ALTER COLUMN "role" SET DATA TYPE text;
  ALTER TABLE "users" ALTER COLUMN "role" SET DEFAULT 'reporter'::text;
  DROP TYPE "public"."enum_users_role";
  CREATE TYPE "public"."enum_users_role" AS ENUM('admin', 'editor', 'reporter');
  ALTER TABLE "users" ALTER COLUMN "role" SET DEFAULT 'reporter'::"public"."enum_users_role";
  ALTER TABLE "users" ALTER COLUMN "role" SET DATA TYPE "public"."enum_users_role" USING "role"::"public"."enum_users_role";
  ALTER TABLE "sections" DROP COLUMN "review_levels";`)
}
