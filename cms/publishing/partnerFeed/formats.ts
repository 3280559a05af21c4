/** The formats a partner may take its feed in. */
export const partnerFormats = [
  { value: 'rss', label: { zh: 'RSS', en: 'RSS' } },
  { value: 'json', label: { zh: 'JSON Feed', en: 'JSON Feed' } },
  { value: 'ninjs', label: { zh: 'IPTC ninjs', en: 'IPTC ninjs' } },
] as const
export type PartnerFormat = (typeof partnerFormats)[number]['value']

/** The files under `/feeds/partner/`: the format each serves and its content type. */
export const partnerFeedFiles: Record<string, { format: PartnerFormat; type: string }> = {
  'rss.xml': { format: 'rss', type: 'application/rss+xml; charset=utf-8' },
  'feed.json': { format: 'json', type: 'application/feed+json; charset=utf-8' },
  'ninjs.json': { format: 'ninjs', type: 'application/json; charset=utf-8' },
}

export const feedFileOf = (format: PartnerFormat) =>
  format === 'rss' ? 'rss.xml' : format === 'json' ? 'feed.json' : 'ninjs.json'
