import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Payload } from 'payload'
import type { PlatedImage, PublishedStory } from '../channels/types.ts'
import { DEFAULT_PLATE_PAGE_SIZE, readPublishedPage } from './readPublishedStories.ts'

export interface PlateServer {
  /** The plate endpoint the site's loader pages through. */
  url: string
  /** Every media file a served story shows (hero, body images, portraits). */
  mediaFiles: Set<string>
  /** How many stories were served. */
  storyIds: Set<number>
  close: () => Promise<void>
}

/**
 * Serves the public plate on loopback to one site build: the Astro build runs in its own
 * process and pages through `GET /plate/stories?page=&limit=` exactly as it would page
 * through a kitchen's `/api/plate/stories`.
 */
export async function startPlateServer({ payload }: { payload: Payload }): Promise<PlateServer> {
  const mediaFiles = new Set<string>()
  const storyIds = new Set<number>()
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (request.method !== 'GET' || url.pathname !== '/plate/stories') {
      response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"not found"}')
      return
    }
    const page = Number(url.searchParams.get('page') ?? 1)
    const limit = Number(url.searchParams.get('limit') ?? DEFAULT_PLATE_PAGE_SIZE)
    readPublishedPage({ payload, page, limit })
      .then((result) => {
        for (const story of result.docs) {
          storyIds.add(story.id)
          for (const file of mediaFilesOf(story)) mediaFiles.add(file)
        }
        response
          .writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' })
          .end(JSON.stringify(result))
      })
      .catch((err: unknown) => {
        payload.logger.error({ msg: 'the plate server could not read published stories', err })
        response.writeHead(500, { 'Content-Type': 'application/json' }).end('{"error":"plate read failed"}')
      })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/plate/stories`,
    mediaFiles,
    storyIds,
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  }
}

function mediaFilesOf(story: PublishedStory): string[] {
  const images: PlatedImage[] = [
    ...(story.hero ? [story.hero] : []),
    ...story.images,
    ...story.people.flatMap((person) => (person.portrait ? [person.portrait] : [])),
  ]
  return images.flatMap((image) => image.renditions.map((rendition) => rendition.filename))
}
