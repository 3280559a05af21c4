import { ensureAdminBuild } from '../../scripts/lib/adminBuild.ts'
import { type KitchenServer, startKitchenServer } from '../../scripts/lib/kitchenServer.ts'

export type { KitchenServer }

/**
 * The production Next.js server (`next start cms`) on a free port, on whatever database
 * and media folder the environment names; builds the admin first when its build is stale.
 * `env` adds to the test's own environment. HONGYAN_DEBUG_SERVER=1 shows the server's own log while a test runs.
 */
export async function startTestKitchenServer({
  env = {},
}: {
  env?: Record<string, string>
} = {}): Promise<KitchenServer> {
  await ensureAdminBuild()
  return startKitchenServer({
    env: { ...process.env, ...env },
    output: process.env.HONGYAN_DEBUG_SERVER === '1' ? 'inherit' : 'keep',
    timeoutMs: 60_000,
  })
}
