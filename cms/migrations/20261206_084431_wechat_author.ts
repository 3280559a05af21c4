import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "stories" ADD COLUMN "wechat_author" varchar;
  ALTER TABLE "_stories_v" ADD COLUMN "version_wechat_author" varchar;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "stories" DROP COLUMN "wechat_author";
  ALTER TABLE "_stories_v" DROP COLUMN "version_wechat_author";`)
}
