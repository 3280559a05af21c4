import { escapeHtml } from './html.ts'
import type { PlatedImage, Rendition } from './types.ts'

const webpWidths = ['thumbnail', 'card', 'hero']

/** The renditions a browser may choose from for one format, narrowest first. */
export function srcset({ image, mimeType }: { image: PlatedImage; mimeType: string }): string {
  return image.renditions
    .filter((r) => r.mimeType === mimeType && (mimeType !== 'image/webp' || webpWidths.includes(r.name)))
    .sort((a, b) => a.width - b.width)
    .map((r) => `${r.url} ${r.width}w`)
    .join(', ')
}

export function rendition({ image, name }: { image: PlatedImage; name: string }): Rendition | undefined {
  return image.renditions.find((r) => r.name === name)
}

/** The fallback `<img>` source: the card width, else whatever exists. */
export function fallbackRendition(image: PlatedImage): Rendition | undefined {
  return rendition({ image, name: 'card' }) ?? rendition({ image, name: 'original' }) ?? image.renditions[0]
}

/**
 * `<picture>` with AVIF and WebP sources and a sized `<img>` (no layout shift). `sizes`
 * tells the browser how wide the image is drawn.
 */
export function pictureHtml({
  image,
  sizes,
  isEager = false,
  isSmall = false,
}: {
  image: PlatedImage
  sizes: string
  isEager?: boolean
  /** Drawn small (cards, portraits): AVIF exists only at hero width, so WebP only. */
  isSmall?: boolean
}): string {
  const fallback = fallbackRendition(image)
  if (!fallback) return ''
  const sources = (isSmall ? ['image/webp'] : ['image/avif', 'image/webp'])
    .map((mimeType) => ({ mimeType, set: srcset({ image, mimeType }) }))
    .filter(({ set }) => set !== '')
    .map(
      ({ mimeType, set }) =>
        `<source type="${mimeType}" srcset="${escapeHtml(set)}" sizes="${escapeHtml(sizes)}">`,
    )
    .join('')
  const loading = isEager ? 'eager' : 'lazy'
  return (
    `<picture>${sources}<img src="${escapeHtml(fallback.url)}" alt="${escapeHtml(image.alt)}" ` +
    `width="${fallback.width}" height="${fallback.height}" loading="${loading}" decoding="async"></picture>`
  )
}

/** A figure: picture, then caption and credit. */
export function figureHtml({
  image,
  caption,
  sizes,
}: {
  image: PlatedImage
  caption: string | null
  sizes: string
}) {
  const text = caption ?? image.caption
  const credit = image.credit ? `<span class="credit">${escapeHtml(image.credit)}</span>` : ''
  const figcaption =
    text || credit
      ? `<figcaption>${text ? escapeHtml(text) : ''}${text && credit ? ' ' : ''}${credit}</figcaption>`
      : ''
  return `<figure>${pictureHtml({ image, sizes })}${figcaption}</figure>`
}
