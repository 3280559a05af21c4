import pg from 'pg'

/** The scratch databases that backup verifications left on the server of `databaseUrl`. */
export async function backupScratchDatabases({ databaseUrl }: { databaseUrl: string }): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ name: string }>(
      `select datname as name from pg_database where datname like '%backup\\_check\\_%'`,
    )
    return rows.map((row) => row.name)
  } finally {
    await client.end()
  }
}
