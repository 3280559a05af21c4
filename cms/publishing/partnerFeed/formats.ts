/** The formats a partner may take its feed in. */
export const partnerFormats = [
  { value: 'rss', label: { zh: 'RSS', en: 'RSS' } },
  { value: 'json', label: { zh: 'JSON Feed', en: 'JSON Feed' } },
  { value: 'ninjs', label: { zh: 'IPTC ninjs', en: 'IPTC ninjs' } },
] as const
export type PartnerFormat = (typeof partnerFormats)[number]['value']
