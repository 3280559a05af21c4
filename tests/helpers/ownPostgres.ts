import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type RunningDatabase, startEmbeddedPostgres } from '../../cms/db/embeddedPostgres.ts'

export type OwnPostgres = {
  /** The server's address (the same after a restart: its port is saved with the data). */
  readonly url: string
  /** Stops the server, as an outage would; its data stays. */
  stop: () => Promise<void>
  /** Starts the server again on the same data. */
  start: () => Promise<void>
  /** Stops the server and removes its data. */
  cleanup: () => Promise<void>
}

/**
 * A Postgres server of the test file's own (the embedded one, in a temporary folder), for the
 * fault tests that stop it and start it again: the suite's shared server must stay up.
 */
export async function startOwnPostgres({ database }: { database: string }): Promise<OwnPostgres> {
  const dataRoot = await mkdtemp(path.join(tmpdir(), 'hongyan-fault-pg-'))
  const removeData = () => rm(dataRoot, { recursive: true, force: true })
  const startServer = () => startEmbeddedPostgres({ dataDir: path.join(dataRoot, 'data'), database })
  let running: RunningDatabase
  try {
    // mkdtemp makes the folder private; as root the server runs as `postgres`, which must enter it.
    await chmod(dataRoot, 0o755)
    running = await startServer()
  } catch (err) {
    await removeData()
    throw err
  }
  return {
    get url() {
      return running.url
    },
    stop: () => running.stop(),
    start: async () => {
      running = await startServer()
    },
    cleanup: async () => {
      await running.stop()
      await removeData()
    },
  }
}
