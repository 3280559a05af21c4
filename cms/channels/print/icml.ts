import type { Block, Run } from '../lexical/toBlocks.ts'
import type { HouseStyles } from './houseStyles.ts'
import type { PrintStory } from './types.ts'
import { buildXml, element, instruction, text, type XmlNode } from './xml.ts'

const NO_CHARACTER_STYLE = 'CharacterStyle/$ID/[No character style]'

/**
 * One story as Adobe InCopy markup (ICML), placeable in InDesign: every paragraph carries a
 * paragraph style named by the column's house style (肩题, 主题, 副题, 导语, 正文, 小标题, 图说,
 * 作者), bold, italic and links a character style. Images are not embedded: their captions
 * are set as 图说 paragraphs and the pictures ship beside the ICML.
 */
export function buildIcml({ story, styles }: { story: PrintStory; styles: HouseStyles }): string {
  const paragraphs: { style: string; runs: Run[] }[] = [
    ...(story.kicker ? [{ style: styles.kicker, runs: [plain(story.kicker)] }] : []),
    { style: styles.title, runs: [plain(story.title)] },
    ...(story.subtitle ? [{ style: styles.subtitle, runs: [plain(story.subtitle)] }] : []),
    ...(story.plate.byline ? [{ style: styles.byline, runs: [plain(story.plate.byline)] }] : []),
    ...(story.plate.summary ? [{ style: styles.summary, runs: [plain(story.plate.summary)] }] : []),
    ...story.blocks.flatMap((block) => paragraphOf({ block, styles })),
  ]
  const paragraphStyles = [...new Set(paragraphs.map((p) => p.style))]
  const characterStyles = [styles.bold, styles.italic, styles.link]
  return buildXml([
    instruction('xml', { version: '1.0', encoding: 'UTF-8', standalone: 'yes' }),
    instruction('aid', {
      style: '50',
      type: 'document',
      readerVersion: '6.0',
      featureSet: '513',
      product: '8.0(370)',
    }),
    instruction('aid', { SnippetType: 'InCopyInterchange' }),
    element('Document', { DOMVersion: '8.0', Self: 'hongyan_document' }, [
      element('RootCharacterStyleGroup', { Self: 'hongyan_character_styles' }, [
        element('CharacterStyle', { Self: NO_CHARACTER_STYLE, Name: '$ID/[No character style]' }),
        ...characterStyles.map((name) =>
          element('CharacterStyle', { Self: `CharacterStyle/${name}`, Name: name }),
        ),
      ]),
      element('RootParagraphStyleGroup', { Self: 'hongyan_paragraph_styles' }, [
        ...paragraphStyles.map((name) =>
          element('ParagraphStyle', { Self: `ParagraphStyle/${name}`, Name: name }),
        ),
      ]),
      element(
        'Story',
        { Self: `hongyan_story_${story.plate.id}`, StoryTitle: story.title, TrackChanges: 'false' },
        [
          element('StoryPreference', {
            OpticalMarginAlignment: 'false',
            FrameType: 'TextFrameType',
            StoryOrientation: 'Horizontal',
          }),
          ...paragraphs.map((paragraph, index) =>
            element('ParagraphStyleRange', { AppliedParagraphStyle: `ParagraphStyle/${paragraph.style}` }, [
              ...paragraph.runs.map((run) => characterRange({ run, styles })),
              ...(index < paragraphs.length - 1 ? [element('Br')] : []),
            ]),
          ),
        ],
      ),
    ]),
  ])
}

const plain = (value: string): Run => ({ text: value, isBold: false, isItalic: false, href: null })

function paragraphOf({
  block,
  styles,
}: {
  block: Block
  styles: HouseStyles
}): { style: string; runs: Run[] }[] {
  if (block.kind === 'image')
    return block.caption ? [{ style: styles.caption, runs: [plain(block.caption)] }] : []
  if (block.kind === 'subhead') return [{ style: styles.subhead, runs: block.runs }]
  return [{ style: styles.body, runs: block.runs }]
}

function characterRange({ run, styles }: { run: Run; styles: HouseStyles }): XmlNode {
  const style = run.href ? styles.link : run.isBold ? styles.bold : run.isItalic ? styles.italic : null
  const lines = run.text.split('\n')
  const content = lines.flatMap((line, index) => [
    element('Content', {}, [text(line)]),
    ...(index < lines.length - 1 ? [element('Br')] : []),
  ])
  return element(
    'CharacterStyleRange',
    { AppliedCharacterStyle: style ? `CharacterStyle/${style}` : NO_CHARACTER_STYLE },
    content,
  )
}
