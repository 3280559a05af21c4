import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

/**
 * Search's own table, outside Payload's schema (no collection: only the kitchen writes it,
 * see cms/publishing/search/searchEntries.ts): one row per live story, its tokens (character
 * bigrams and characters of its Chinese, lowercased ASCII words) under a GIN index. The
 * stories live already are indexed by the first process that loads Payload after it
 * (indexSearchIfIncomplete, scripts/lib/payload.ts): a migration imports no outlet.
 */
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
  CREATE TABLE "search_entries" (
    "story_id" integer PRIMARY KEY NOT NULL REFERENCES "stories"("id") ON DELETE CASCADE,
    "title" text NOT NULL,
    "body" text NOT NULL,
    "slug" text NOT NULL,
    "section_id" integer REFERENCES "sections"("id") ON DELETE SET NULL,
    "published_at" timestamp(3) with time zone NOT NULL,
    "tokens" text[] NOT NULL,
    "indexed_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  CREATE INDEX "search_entries_tokens_idx" ON "search_entries" USING gin ("tokens");`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`DROP TABLE "search_entries";`)
}
