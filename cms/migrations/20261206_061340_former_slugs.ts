import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TABLE "stories_former_slugs" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" varchar PRIMARY KEY NOT NULL,
  	"slug" varchar,
  	"left_at" timestamp(3) with time zone
  );
  
  CREATE TABLE "_stories_v_version_former_slugs" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" serial PRIMARY KEY NOT NULL,
  	"slug" varchar,
  	"left_at" timestamp(3) with time zone,
  	"_uuid" varchar
  );
  
  ALTER TABLE "stories_former_slugs" ADD CONSTRAINT "stories_former_slugs_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."stories"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "_stories_v_version_former_slugs" ADD CONSTRAINT "_stories_v_version_former_slugs_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."_stories_v"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "stories_former_slugs_order_idx" ON "stories_former_slugs" USING btree ("_order");
  CREATE INDEX "stories_former_slugs_parent_id_idx" ON "stories_former_slugs" USING btree ("_parent_id");
  CREATE INDEX "_stories_v_version_former_slugs_order_idx" ON "_stories_v_version_former_slugs" USING btree ("_order");
  CREATE INDEX "_stories_v_version_former_slugs_parent_id_idx" ON "_stories_v_version_former_slugs" USING btree ("_parent_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP TABLE "stories_former_slugs" CASCADE;
  DROP TABLE "_stories_v_version_former_slugs" CASCADE;`)
}
