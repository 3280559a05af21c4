import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { LoaderContext } from 'astro/loaders'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KitchenLoaderError, kitchenLoader } from '../../site/src/loaders/kitchenLoader.ts'

/** A plate endpoint on loopback whose stories the test changes between loads. */
let stories: { id: number; title: string }[] = []
const requests: string[] = []
let server: Server
let url = ''

beforeAll(async () => {
  server = createServer((request, response) => {
    const query = new URL(request.url ?? '/', 'http://x').searchParams
    requests.push(`${query.get('page')}/${query.get('limit')}`)
    if (request.url?.startsWith('/broken')) {
      response.writeHead(502).end()
      return
    }
    const page = Number(query.get('page'))
    const limit = Number(query.get('limit'))
    const docs = stories.slice((page - 1) * limit, page * limit)
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ docs, hasNextPage: page * limit < stories.length }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => {
  server.close()
})

/** The parts of Astro's loader context a loader uses, kept in memory between loads. */
function fakeContext() {
  const entries = new Map<string, { id: string; data: Record<string, unknown>; digest?: string }>()
  const parsed: string[] = []
  const context = {
    collection: 'stories',
    store: {
      get: (id: string) => entries.get(id),
      set: (entry: { id: string; data: Record<string, unknown>; digest?: string }) => {
        entries.set(entry.id, entry)
        return true
      },
      keys: () => [...entries.keys()],
      delete: (id: string) => entries.delete(id),
    },
    logger: { info: () => undefined },
    generateDigest: (data: unknown) => createHash('sha1').update(JSON.stringify(data)).digest('hex'),
    parseData: async ({ id, data }: { id: string; data: Record<string, unknown> }) => {
      parsed.push(id)
      return data
    },
  }
  return { context: context as unknown as LoaderContext, entries, parsed }
}

describe('kitchenLoader', () => {
  it('pages through every story, re-parses only changed ones and deletes withdrawn ones', async () => {
    stories = [1, 2, 3, 4, 5].map((id) => ({ id, title: `稿件${id}` }))
    const loader = kitchenLoader({ url: `${url}/plate/stories`, pageSize: 2 })
    const { context, entries, parsed } = fakeContext()
    requests.length = 0
    await loader.load(context)
    expect(requests).toEqual(['1/2', '2/2', '3/2'])
    expect([...entries.keys()]).toEqual(['1', '2', '3', '4', '5'])
    expect(parsed).toEqual(['1', '2', '3', '4', '5'])

    stories = stories
      .filter((story) => story.id !== 4)
      .map((s) => (s.id === 2 ? { ...s, title: '更正后的标题' } : s))
    parsed.length = 0
    await loader.load(context)
    expect([...entries.keys()].sort()).toEqual(['1', '2', '3', '5'])
    expect(parsed).toEqual(['2'])
    expect(entries.get('2')?.data.title).toBe('更正后的标题')
  })

  it.each([
    [{ url: undefined }, /set HONGYAN_PLATE_URL/],
    [{ url: 'localhost:3000/api' }, /is not an absolute URL|must be an http\(s\) URL/],
    [{ url: 'ftp://kitchen/plate' }, /must be an http\(s\) URL/],
    [{ url: 'http://kitchen/plate', pageSize: 0 }, /pageSize must be a whole number from 1 to 500/],
    [{ url: 'http://kitchen/plate', pageSize: 1000 }, /pageSize must be a whole number from 1 to 500/],
  ])('refuses bad options %j with a message that says how to fix them', (options, message) => {
    expect(() => kitchenLoader(options)).toThrow(message)
  })

  it('fails the build with the URL and status when the kitchen answers an error', async () => {
    const loader = kitchenLoader({ url: `${url}/broken` })
    const error = await loader.load(fakeContext().context).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(KitchenLoaderError)
    expect(error).toMatchObject({ status: 502, url: `${url}/broken?page=1&limit=100` })
  })
})
