import { withPayload } from '@payloadcms/next/withPayload'
import type { NextConfig } from 'next'

// Next.js is run from the project root with cms/ as its project folder (`next build cms`):
// dependencies, the lockfile and the tsconfig live at the root.
const projectRoot = process.env.HONGYAN_ROOT ?? process.cwd()

const nextConfig: NextConfig = {
  // `npm run typecheck` checks the whole repo (CI runs it); `npm start` need not wait for it.
  typescript: { tsconfigPath: '../tsconfig.json', ignoreBuildErrors: true },
  turbopack: { root: projectRoot },
  outputFileTracingRoot: projectRoot,
  poweredByHeader: false,
  // Site builds (workers only) drive Pagefind's native binary: never bundled into the server.
  serverExternalPackages: ['pagefind'],
  redirects: async () => [{ source: '/', destination: '/admin', permanent: false }],
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
