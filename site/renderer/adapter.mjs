/**
 * Hongyan's Astro adapter: Astro compiles the site (pages, layout, CSS, the search script)
 * into a server bundle whose entry (`entry.mjs`) renders one page for a Request with the
 * page's data in `locals`. The site build (`cms/publishing/site/`) calls it for exactly the
 * pages a change touches and writes them as static files: Astro is the template engine, the
 * output is a static site.
 */
export default function hongyanRenderer() {
  return {
    name: 'hongyan-renderer',
    hooks: {
      'astro:config:done': ({ setAdapter }) => {
        setAdapter({
          name: 'hongyan-renderer',
          entrypointResolution: 'auto',
          serverEntrypoint: new URL('./entry.mjs', import.meta.url),
          supportedAstroFeatures: {
            serverOutput: 'stable',
            staticOutput: 'stable',
            hybridOutput: 'stable',
          },
        })
      },
    },
  }
}
