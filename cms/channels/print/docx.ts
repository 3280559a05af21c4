import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx'
import { stampDocx } from '../docxStamp.ts'
import type { Block, Run } from '../lexical/toBlocks.ts'
import type { HouseStyles } from './houseStyles.ts'
import type { PrintStory } from './types.ts'

/**
 * The whole issue as one Word document for proofreading: each story's headlines, byline,
 * summary, body (subheads as headings, bold and italic kept) and captions, in slot order.
 * `stamp` (the issue date) dates the file, so the same issue gives the same bytes.
 */
export async function buildIssueDocx({
  title,
  stories,
  styles,
  stamp,
}: {
  title: string
  stories: PrintStory[]
  styles: HouseStyles
  stamp: Date
}): Promise<Uint8Array> {
  const children = stories.flatMap((story, index) => [
    ...(index > 0 ? [new Paragraph({ pageBreakBefore: true, children: [] })] : []),
    ...(story.kicker ? [labelled({ style: styles.kicker, text: story.kicker })] : []),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(story.title)] }),
    ...(story.subtitle
      ? [new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(story.subtitle)] })]
      : []),
    ...(story.plate.byline ? [labelled({ style: styles.byline, text: story.plate.byline })] : []),
    ...(story.plate.summary
      ? [new Paragraph({ children: [new TextRun({ text: story.plate.summary, bold: true })] })]
      : []),
    ...story.blocks.flatMap((block) => paragraphsOf({ block })),
  ])
  const document = new Document({
    creator: '鸿雁 Hongyan',
    title,
    sections: [{ children }],
  })
  return stampDocx({ docx: await Packer.toBuffer(document), stamp })
}

const labelled = ({ style, text }: { style: string; text: string }) =>
  new Paragraph({ children: [new TextRun({ text: `［${style}］`, color: '888888' }), new TextRun(text)] })

function paragraphsOf({ block }: { block: Block }): Paragraph[] {
  if (block.kind === 'image') {
    return block.caption
      ? [new Paragraph({ children: [new TextRun({ text: block.caption, italics: true })] })]
      : []
  }
  const runs = block.runs.map(
    (run: Run) => new TextRun({ text: run.text, bold: run.isBold, italics: run.isItalic }),
  )
  if (block.kind === 'subhead') return [new Paragraph({ heading: HeadingLevel.HEADING_3, children: runs })]
  return [new Paragraph({ children: runs })]
}
