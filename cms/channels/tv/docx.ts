import {
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import { stampDocx } from '../docxStamp.ts'
import { stripControlCharacters } from '../html.ts'
import { describeAirDate } from './airDate.ts'
import { describeSegmentFit } from './script.ts'
import type { TvProgrammeSettings, TvRow, TvSegmentScript } from './types.ts'

/**
 * The episode's script as one Word document for the programme's producer and presenter: per
 * segment a heading, the 口播导语 with its time, the two-column table (画面 | 解说/同期声) one
 * row per script row, and the segment's fit against its budget; the episode's total at the
 * end. `stamp` dates the file, so the same episode gives the same bytes.
 */
export async function buildEpisodeDocx({
  title,
  programme,
  airDate,
  scripts,
  stamp,
}: {
  title: string
  programme: TvProgrammeSettings
  airDate: string
  scripts: TvSegmentScript[]
  stamp: Date
}): Promise<Uint8Array> {
  const seconds = scripts.reduce((sum, script) => sum + script.totalSeconds, 0)
  const budget = scripts.reduce((sum, script) => sum + script.budgetSeconds, 0)
  const children = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: linesOf({ text: title }) }),
    new Paragraph({
      children: linesOf({ text: `${programme.name}　${describeAirDate(airDate)} 播出`, color: GREY }),
    }),
    ...scripts.flatMap((script, index) => [
      new Paragraph({
        heading: HeadingLevel.HEADING_2,
        children: linesOf({ text: `第${index + 1}条　${script.title}` }),
      }),
      new Paragraph({
        children: [
          new TextRun({ text: '【口播导语】', bold: true }),
          ...linesOf({ text: script.lead.text }),
          new TextRun({ text: `（${script.lead.seconds}秒）`, color: GREY }),
        ],
      }),
      scriptTable({ rows: script.rows }),
      new Paragraph({
        children: [
          new TextRun({
            text: describeSegmentFit({ seconds: script.totalSeconds, budget: script.budgetSeconds }),
          }),
        ],
      }),
    ]),
    new Paragraph({
      heading: HeadingLevel.HEADING_2,
      children: [new TextRun(`全片 ${scripts.length} 条，${describeSegmentFit({ seconds, budget })}`)],
    }),
  ]
  const document = new Document({ creator: '鸿雁 Hongyan', title: clean(title), sections: [{ children }] })
  return stampDocx({ docx: await Packer.toBuffer(document), stamp })
}

const GREY = '888888'
// An A4 page inside the `docx` package's default margins, in twips: pictures a third, words the rest.
const COLUMN_WIDTHS = [3000, 6026]

function scriptTable({ rows }: { rows: TvRow[] }): Table {
  const cell = ({ children, column }: { children: Paragraph[]; column: 0 | 1 }) =>
    new TableCell({ children, width: { size: COLUMN_WIDTHS[column] as number, type: WidthType.DXA } })
  return new Table({
    columnWidths: COLUMN_WIDTHS,
    width: { size: 9026, type: WidthType.DXA },
    rows: [
      new TableRow({
        tableHeader: true,
        children: [
          cell({
            column: 0,
            children: [new Paragraph({ children: [new TextRun({ text: '画面', bold: true })] })],
          }),
          cell({
            column: 1,
            children: [new Paragraph({ children: [new TextRun({ text: '解说/同期声', bold: true })] })],
          }),
        ],
      }),
      ...rows.map(
        (row) =>
          new TableRow({
            cantSplit: true,
            children: [
              cell({ column: 0, children: [new Paragraph({ children: linesOf({ text: row.visual }) })] }),
              cell({
                column: 1,
                children: [
                  new Paragraph({
                    children: [
                      new TextRun({ text: row.voice === 'sync' ? '【同期声】' : '【解说】', bold: true }),
                      ...linesOf({ text: row.text }),
                      new TextRun({ text: `（${row.seconds}秒）`, color: GREY }),
                    ],
                  }),
                ],
              }),
            ],
          }),
      ),
    ],
  })
}

/** Text as runs, a line break where the text has one (Word reads a raw newline as a space). */
function linesOf({ text, color }: { text: string; color?: string }): TextRun[] {
  return clean(text)
    .split(/\r\n?|\n|\u2028|\u2029/)
    .map((line, index) => new TextRun({ text: line, break: index > 0 ? 1 : undefined, color }))
}

const clean = (text: string) => stripControlCharacters(text)
