import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_house_terms_severity" AS ENUM('block', 'suggest');
  CREATE TABLE "house_terms" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"term" varchar NOT NULL,
  	"severity" "enum_house_terms_severity" DEFAULT 'suggest' NOT NULL,
  	"replacement" varchar,
  	"whole_word" boolean DEFAULT false,
  	"note" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "preview_links" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"story_id" integer NOT NULL,
  	"token_hash" varchar NOT NULL,
  	"expires_at" timestamp(3) with time zone NOT NULL,
  	"revoked_at" timestamp(3) with time zone,
  	"created_by_id" integer,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "stories" ADD COLUMN "checks_override" varchar;
  ALTER TABLE "_stories_v" ADD COLUMN "version_checks_override" varchar;
  ALTER TABLE "media" ADD COLUMN "portrait_shows_people" boolean DEFAULT false;
  ALTER TABLE "media" ADD COLUMN "portrait_consent_record" varchar;
  ALTER TABLE "media" ADD COLUMN "portrait_consent_expires_at" timestamp(3) with time zone;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "house_terms_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "preview_links_id" integer;
  ALTER TABLE "preview_links" ADD CONSTRAINT "preview_links_story_id_stories_id_fk" FOREIGN KEY ("story_id") REFERENCES "public"."stories"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "preview_links" ADD CONSTRAINT "preview_links_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  CREATE UNIQUE INDEX "house_terms_term_idx" ON "house_terms" USING btree ("term");
  CREATE INDEX "house_terms_updated_at_idx" ON "house_terms" USING btree ("updated_at");
  CREATE INDEX "house_terms_created_at_idx" ON "house_terms" USING btree ("created_at");
  CREATE INDEX "preview_links_story_idx" ON "preview_links" USING btree ("story_id");
  CREATE UNIQUE INDEX "preview_links_token_hash_idx" ON "preview_links" USING btree ("token_hash");
  CREATE INDEX "preview_links_created_by_idx" ON "preview_links" USING btree ("created_by_id");
  CREATE INDEX "preview_links_updated_at_idx" ON "preview_links" USING btree ("updated_at");
  CREATE INDEX "preview_links_created_at_idx" ON "preview_links" USING btree ("created_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_house_terms_fk" FOREIGN KEY ("house_terms_id") REFERENCES "public"."house_terms"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_preview_links_fk" FOREIGN KEY ("preview_links_id") REFERENCES "public"."preview_links"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_house_terms_id_idx" ON "payload_locked_documents_rels" USING btree ("house_terms_id");
  CREATE INDEX "payload_locked_documents_rels_preview_links_id_idx" ON "payload_locked_documents_rels" USING btree ("preview_links_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "house_terms" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "preview_links" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "house_terms" CASCADE;
  DROP TABLE "preview_links" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_house_terms_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_preview_links_fk";
  
  DROP INDEX "payload_locked_documents_rels_house_terms_id_idx";
  DROP INDEX "payload_locked_documents_rels_preview_links_id_idx";
  ALTER TABLE "stories" DROP COLUMN "checks_override";
  ALTER TABLE "_stories_v" DROP COLUMN "version_checks_override";
  ALTER TABLE "media" DROP COLUMN "portrait_shows_people";
  ALTER TABLE "media" DROP COLUMN "portrait_consent_record";
  ALTER TABLE "media" DROP COLUMN "portrait_consent_expires_at";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "house_terms_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "preview_links_id";
  DROP TYPE "public"."enum_house_terms_severity";`)
}
