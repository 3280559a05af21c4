import { XMLBuilder } from 'fast-xml-parser'

/** A node for fast-xml-parser's order-preserving builder, which escapes text and attributes. */
export type XmlNode = Record<string, unknown>

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  suppressEmptyNode: true,
  processEntities: true,
})

const attributes = (attrs: Record<string, string | number | undefined>) =>
  Object.fromEntries(
    Object.entries(attrs)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [`@_${name}`, String(value)]),
  )

export function element(
  name: string,
  attrs: Record<string, string | number | undefined> = {},
  children: XmlNode[] = [],
): XmlNode {
  return { [name]: children, ':@': attributes(attrs) }
}

export const text = (value: string): XmlNode => ({ '#text': value })

/** A processing instruction, e.g. `<?aid style="50"?>`. */
export const instruction = (name: string, attrs: Record<string, string>): XmlNode => ({
  [`?${name}`]: [{ '#text': '' }],
  ':@': attributes(attrs),
})

export const buildXml = (nodes: XmlNode[]): string => builder.build(nodes) as string
