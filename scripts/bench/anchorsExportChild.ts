import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { PublishedStory } from '../../cms/channels/types.ts'
import { readAllPublished } from '../../cms/publishing/plate/readPublishedStories.ts'
import { runCli } from '../lib/cli.ts'
import { closePayload, loadMigratedPayload } from '../lib/payload.ts'

/**
 * `anchorsExportChild.ts <folder>`: every published story of the corpus (the plate, as the
 * site reads it) as `<folder>/<slug>.md`, for Hugo and plain Astro to build the same
 * stories. Prints the count and one story for the "one story edited" runs.
 */
runCli(async () => {
  const folder = process.argv[2]
  if (!folder) throw new Error('anchorsExportChild: name the folder to write to')
  await mkdir(folder, { recursive: true })
  const payload = await loadMigratedPayload()
  let count = 0
  let first: { id: number; slug: string; title: string } | undefined
  for await (const story of readAllPublished({ payload, limit: 500 })) {
    await writeFile(path.join(folder, `${story.slug}.md`), storyMarkdown(story))
    first ??= { id: story.id, slug: story.slug, title: story.title }
    count += 1
  }
  console.log(JSON.stringify({ stories: count, edit: first }))
  await closePayload(payload)
})

/**
 * Front matter (title, date, section, tags, slug; JSON strings are valid YAML) and the plain
 * text of the body, one Markdown paragraph per block. Kept identical for both generators.
 */
function storyMarkdown(story: PublishedStory): string {
  const frontMatter = [
    '---',
    `title: ${JSON.stringify(story.title)}`,
    `date: ${story.publishedAt}`,
    `section: ${JSON.stringify(story.section?.name ?? '')}`,
    `tags: ${JSON.stringify(story.tags)}`,
    `slug: ${JSON.stringify(story.slug)}`,
    '---',
  ]
  const paragraphs = story.bodyText
    .split(/\n{2,}/)
    .map((block) => block.replace(/\s*\n\s*/g, ' ').replace(/[\\`*_[\]<>#|!-]/g, '\\$&'))
  return `${frontMatter.join('\n')}\n\n${paragraphs.join('\n\n')}\n`
}
