import type { PlatedPerson, PlatedSection } from '../../cms/channels/types.ts'
import type { PageData } from './pageData.ts'

/** The site's addresses: root-relative, each page a folder (`/sections/<slug>/`). */
export const sectionPath = (section: Pick<PlatedSection, 'slug'>) => `/sections/${section.slug}/`
export const tagPath = (tag: string) => `/tags/${encodeURIComponent(tag)}/`
export const personPath = (person: Pick<PlatedPerson, 'slug'>) => `/people/${person.slug}/`
export const monthPath = (key: string) => `/archive/${key}/`

/** The root-relative URL path of a page. */
export function pathOf(data: PageData): string {
  switch (data.kind) {
    case 'home':
      return '/'
    case 'story':
      return data.story.path
    case 'section':
    case 'tag':
    case 'person':
    case 'month':
      return data.path
    case 'people':
      return '/people/'
    case 'archive':
      return '/archive/'
    case 'about':
      return '/about/'
    case 'search':
      return '/search/'
    case 'not-found':
      return '/404/'
  }
}

/** Where a page's HTML is written in the build: `stories/<slug>/index.html`, `404.html`. */
export function fileOf(path: string): string {
  if (path === '/404/') return '404.html'
  return `${decodeURIComponent(path).replace(/^\//, '')}index.html`
}
