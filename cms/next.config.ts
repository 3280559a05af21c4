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
  // The admin is never framed, never sniffed, never posts a form elsewhere. HSTS belongs to
  // the TLS-terminating reverse proxy (see README, "Security").
  headers: async () => [
    {
      // Uploaded files carry their own, stricter policy (see cms/collections/Media/hooks/uploadGuard.ts);
      // previews theirs (cms/publishing/preview/previewHeaders.ts: the admin frames a story's preview,
      // a share link's page is never framed). Next.js lets a header set here win over a handler's.
      source: '/((?!api/media/file/|api/stories/[^/]+/preview|preview/).*)',
      headers: [
        { key: 'X-Content-Type-Options', value: 'nosniff' },
        { key: 'X-Frame-Options', value: 'DENY' },
        {
          key: 'Content-Security-Policy',
          value: "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
        },
        { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
      ],
    },
  ],
  redirects: async () => [{ source: '/', destination: '/admin', permanent: false }],
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
