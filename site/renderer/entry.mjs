import { createApp } from 'astro/app/entrypoint'

const app = createApp({ streaming: false })

/** Renders one page of the site: `page` is the data the page shows (see site/planner/pageData.ts). */
export function renderPage({ url, page }) {
  return app.render(new Request(url), { locals: { page } })
}
