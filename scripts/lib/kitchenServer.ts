import type { ChildProcess } from 'node:child_process'
import { stripVTControlCharacters } from 'node:util'
import { findFreePort } from '../../cms/db/embeddedPostgres.ts'
import { projectRoot } from '../../cms/paths.ts'
import { keepOutputTail, type RunningServer, serverOnceAnswering, spawnBin } from './run.ts'

export type KitchenServer = RunningServer & {
  /** The end of what it has printed (when its output is kept), without terminal colours. */
  output: () => string
}

/** How much of the server's output is kept. */
const KEPT_OUTPUT = 20_000

/**
 * The kitchen's Next.js server (`next start cms`, or `next dev cms`) on `port` (a free one
 * unless given), resolved once `readyPath` answers; stopped again if it never does. Builds
 * nothing: the caller sees to the admin build (`ensureAdminBuild`). PORT in its environment
 * is the port it listens on: it also names the trusted origin (Payload's CSRF allowlist)
 * when no HONGYAN_SERVER_URL is set.
 */
export async function startKitchenServer({
  env = process.env,
  port,
  isDev = false,
  output = 'keep',
  isDetached = false,
  readyPath = '/api/users/me',
  timeoutMs = 120_000,
  intervalMs = 100,
  onSpawn = () => {},
}: {
  env?: NodeJS.ProcessEnv
  port?: number
  isDev?: boolean
  /** `keep` collects the end of what it prints, for `output()` and error messages */
  output?: 'keep' | 'inherit' | 'ignore'
  /** leads a process group of its own, so a test can kill the server with all it started */
  isDetached?: boolean
  readyPath?: string
  timeoutMs?: number
  intervalMs?: number
  /** sees the child as soon as it is spawned, before it answers (to stop it on a signal) */
  onSpawn?: (child: ChildProcess) => void
} = {}): Promise<KitchenServer> {
  const listenOn = port ?? (await findFreePort())
  const child = spawnBin({
    bin: 'next',
    args: [isDev ? 'dev' : 'start', 'cms', '--port', String(listenOn)],
    env: { HONGYAN_ROOT: projectRoot, NEXT_TELEMETRY_DISABLED: '1', ...env, PORT: String(listenOn) },
    stdio: output === 'keep' ? ['ignore', 'pipe', 'pipe'] : output,
    isDetached,
  })
  onSpawn(child)
  const kept = keepOutputTail({ child, maxChars: KEPT_OUTPUT })
  const printed = () => stripVTControlCharacters(kept())
  const server = await serverOnceAnswering({
    child,
    url: `http://127.0.0.1:${listenOn}`,
    readyPath,
    timeoutMs,
    intervalMs,
    lastOutput: () => printed().slice(-2000),
  })
  return { ...server, output: printed }
}
