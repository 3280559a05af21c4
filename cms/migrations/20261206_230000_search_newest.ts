import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

/**
 * Written by hand (search_entries is outside Payload's schema): the entries newest first, so
 * that a term most stories hold finds its page by walking them in order and stopping, not by
 * checking and sorting every candidate (see walkPage in cms/publishing/search/searchQuery.ts).
 */
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
  CREATE INDEX "search_entries_newest" ON "search_entries" USING btree ("published_at" DESC, "story_id" DESC);`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`DROP INDEX "search_entries_newest";`)
}
