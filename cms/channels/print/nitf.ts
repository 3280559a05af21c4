import { type Block, blockText } from '../lexical/toBlocks.ts'
import type { PrintStory } from './types.ts'
import { buildXml, element, instruction, text, type XmlNode } from './xml.ts'

/** `20261201T090000+0800`: NITF's compact ISO 8601, in Beijing time. */
export function nitfDate(iso: string): string {
  const shifted = new Date(Date.parse(iso) + 8 * 3_600_000).toISOString()
  return `${shifted.slice(0, 10).replaceAll('-', '')}T${shifted.slice(11, 19).replaceAll(':', '')}+0800`
}

/**
 * One story as IPTC NITF 3.6: hedline (主题, 副题), byline, dateline, abstract (导语), body with
 * subheads, quotes and image captions, the release date (the embargo, if any) and the rights.
 */
export function buildNitf({ story, issueDate }: { story: PrintStory; issueDate: string }): string {
  const plate = story.plate
  const release = plate.embargoUntil ?? plate.publishedAt
  return buildXml([
    instruction('xml', { version: '1.0', encoding: 'UTF-8' }),
    element(
      'nitf',
      { version: '-//IPTC//DTD NITF 3.6//EN', 'change.date': nitfDate(issueDate).slice(0, 8) },
      [
        element('head', {}, [
          element('title', {}, [text(story.title)]),
          element('docdata', {}, [
            element('doc-id', { 'id-string': plate.guid }),
            element('date.release', { norm: nitfDate(release) }),
            element('date.issue', { norm: nitfDate(issueDate) }),
            element('doc.copyright', { holder: plate.rights.copyrightHolder }),
            element('doc.rights', { owner: plate.rights.copyrightHolder, agent: plate.rights.usageTerms }),
            element('du-key', { version: String(plate.version), key: plate.slug }),
          ]),
          element('pubdata', { type: 'print', 'date.publication': nitfDate(issueDate) }),
        ]),
        element('body', {}, [
          element('body.head', {}, [
            element('hedline', {}, [
              element('hl1', {}, [text(story.title)]),
              ...(story.subtitle ? [element('hl2', {}, [text(story.subtitle)])] : []),
            ]),
            ...(story.kicker ? [element('series', { 'series.name': story.kicker })] : []),
            ...(plate.byline ? [element('byline', {}, [text(plate.byline)])] : []),
            ...(plate.dateline
              ? [element('dateline', {}, [element('location', {}, [text(plate.dateline)])])]
              : []),
            ...(plate.summary ? [element('abstract', {}, [element('p', {}, [text(plate.summary)])])] : []),
          ]),
          element(
            'body.content',
            {},
            story.blocks.flatMap((block) => contentOf(block)),
          ),
          element('body.end', {}, [element('tagline', {}, [text(`© ${plate.rights.copyrightHolder}`)])]),
        ]),
      ],
    ),
  ])
}

function contentOf(block: Block): XmlNode[] {
  if (block.kind === 'image') {
    return block.caption
      ? [element('media', { 'media-type': 'image' }, [element('media-caption', {}, [text(block.caption)])])]
      : []
  }
  if (block.kind === 'subhead') return [element('hl2', {}, [text(blockText(block))])]
  if (block.kind === 'quote') return [element('block', {}, [element('p', {}, [text(blockText(block))])])]
  return [element('p', {}, [text(blockText(block))])]
}
