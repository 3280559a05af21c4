import sharp from 'sharp'

export const DEMO_IMAGE_COUNT = 12

const palettes: [string, string, string][] = [
  ['#b3261e', '#f2b8b5', '#fff4e0'],
  ['#0b57d0', '#a8c7fa', '#f1f5ff'],
  ['#146c2e', '#a7d7a9', '#f3fbf2'],
  ['#8a5a00', '#ffd98e', '#fff8e6'],
  ['#5b2e91', '#d6bcfa', '#f8f2ff'],
  ['#006a6a', '#9eefef', '#eefcfc'],
]

/**
 * A demo photograph stand-in: a deterministic composition of light, horizon and shapes
 * (no text, so no fonts are needed), as a JPEG large enough for every rendition.
 */
export async function renderDemoImage({ index }: { index: number }): Promise<Buffer> {
  const [deep, mid, light] = palettes[index % palettes.length] as [string, string, string]
  const width = 2000
  const height = 1333
  const horizon = 700 + (index % 4) * 90
  const shapes = Array.from({ length: 5 }, (_, n) => {
    const x = ((index * 347 + n * 419) % 1800) + 100
    const w = 120 + ((index + n) % 3) * 90
    const h = 260 + ((index * 7 + n * 13) % 5) * 70
    return `<rect x="${x}" y="${horizon - h}" width="${w}" height="${h}" fill="${deep}" opacity="${0.55 + n * 0.08}"/>`
  }).join('')
  const sun = `<circle cx="${300 + ((index * 211) % 1400)}" cy="${260 + (index % 3) * 60}" r="${110 + (index % 4) * 20}" fill="${light}" opacity="0.9"/>`
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${mid}"/><stop offset="1" stop-color="${light}"/>
    </linearGradient></defs>
    <rect width="${width}" height="${height}" fill="url(#sky)"/>
    ${sun}${shapes}
    <rect y="${horizon}" width="${width}" height="${height - horizon}" fill="${deep}"/>
    <path d="M0 ${horizon + 120} Q ${width / 2} ${horizon + 40} ${width} ${horizon + 160} V ${height} H 0 Z" fill="${mid}" opacity="0.35"/>
  </svg>`
  return sharp(Buffer.from(svg)).jpeg({ quality: 82, mozjpeg: true }).toBuffer()
}
