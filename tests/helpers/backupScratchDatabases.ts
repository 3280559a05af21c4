import pg from 'pg'

/**
 * The scratch databases that backup verifications of the database at `databaseUrl` left on its
 * server (named `<database, 40 bytes at most>_backup_check_<hex>`): only this test's own, as other test files
 * verify backups of their databases on the same server at the same time.
 */
export async function backupScratchDatabases({ databaseUrl }: { databaseUrl: string }): Promise<string[]> {
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1))
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ name: string }>(
      `select datname as name from pg_database where starts_with(datname, $1)`,
      [`${database.slice(0, 40)}_backup_check_`],
    )
    return rows.map((row) => row.name)
  } finally {
    await client.end()
  }
}
