import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

/**
 * Written by hand: search's tokens are compared byte by byte, and its rows compressed with lz4
 * where the server has it. Measured on a cold index of 10k stories (2 cores):
 * - the GIN index of 25 million tokens compared under the database's locale (C.UTF-8, through
 *   strcoll) took 49 s to build, byte-wise (`COLLATE "C"`) 28 s. Tokens are only ever matched
 *   for equality, where the two agree, so no answer changes;
 * - pglz, the default, compressing each entry's ~2,500 tokens (about 30 KB) took 15 s of the
 *   19 s of writing the rows, lz4 3 s. A server built without lz4 keeps pglz: the index is then
 *   slower to write, never wrong. Rows written before keep their compression until rewritten.
 * The GIN index is rebuilt once here (about 30 s per 10k live stories).
 */
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
  ALTER TABLE "search_entries" ALTER COLUMN "tokens" TYPE text[] COLLATE "C";
  DO $$ BEGIN
    ALTER TABLE "search_entries" ALTER COLUMN "tokens" SET COMPRESSION lz4;
    ALTER TABLE "search_entries" ALTER COLUMN "body" SET COMPRESSION lz4;
  EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this Postgres has no lz4: search keeps pglz';
  END $$;`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
  ALTER TABLE "search_entries" ALTER COLUMN "tokens" SET COMPRESSION default;
  ALTER TABLE "search_entries" ALTER COLUMN "body" SET COMPRESSION default;
  ALTER TABLE "search_entries" ALTER COLUMN "tokens" TYPE text[] COLLATE "default";`)
}
