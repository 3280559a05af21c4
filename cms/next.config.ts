import { withPayload } from '@payloadcms/next/withPayload'
import type { NextConfig } from 'next'

// Next.js is run from the project root with cms/ as its project folder (`next build cms`):
// dependencies, the lockfile and the tsconfig live at the root.
const projectRoot = process.env.HONGYAN_ROOT ?? process.cwd()

const nextConfig: NextConfig = {
  typescript: { tsconfigPath: '../tsconfig.json' },
  turbopack: { root: projectRoot },
  outputFileTracingRoot: projectRoot,
  poweredByHeader: false,
  redirects: async () => [{ source: '/', destination: '/admin', permanent: false }],
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
