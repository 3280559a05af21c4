import { countChinese } from '../../channels/chineseCount.ts'
import { printBodyCounts } from '../../channels/counts/printRunning.ts'
import type { LexicalNode } from '../../channels/lexical/nodes.ts'
import { lexicalToBlocks } from '../../channels/lexical/toBlocks.ts'
import type { PrintOverrides, PrintStory } from '../../channels/print/types.ts'
import type { Rights } from '../../channels/types.ts'
import type { Story } from '../../payload-types.ts'
import { plateImage, plateStory } from '../plate/plateStory.ts'

export function printStory({
  doc,
  overrides = {},
  rights,
}: {
  doc: Story
  overrides?: PrintOverrides
  rights: Rights
}): PrintStory {
  const plate = plateStory({ doc, rights })
  const blocks = lexicalToBlocks({ root: (doc.body?.root ?? null) as unknown as LexicalNode | null })
  const figures = blocks.flatMap((block) => {
    if (block.kind !== 'image') return []
    const image = plateImage(block.value)
    return image ? [{ image, caption: block.caption ?? image.caption }] : []
  })
  const kicker = overrides.kicker?.trim() || plate.kicker
  const title = overrides.title?.trim() || plate.title
  const subtitle = overrides.subtitle?.trim() || plate.subtitle
  const { body, subheads, running } = printBodyCounts({ blocks })
  return {
    plate,
    kicker,
    title,
    subtitle,
    blocks,
    figures,
    counts: {
      headlines: countChinese([kicker, title, subtitle].filter(Boolean).join('\n')),
      body,
      subheads,
      captions: countChinese(figures.map((figure) => figure.caption ?? '').join('\n')),
      running,
    },
  }
}
