import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ServedSite, serveSite } from '../helpers/ownSite.ts'
import { rawGet } from '../helpers/rawGet.ts'

let distDir: string
let build: string
let served: ServedSite

// Two versions of a feed a publish replaces (a rename over the old file), of different sizes.
const long = `<rss>${'<item>劳动者之窗</item>'.repeat(4000)}</rss>`
const short = '<rss><item>工匠</item></rss>'

beforeAll(async () => {
  distDir = await mkdtemp(path.join(tmpdir(), 'hongyan-site-files-'))
  build = path.join(distDir, 'site-builds', '1-00000000')
  await mkdir(path.join(build, 'stories', 'gong-jiang'), { recursive: true })
  await writeFile(path.join(build, 'rss.xml'), long)
  await writeFile(path.join(build, 'index.html'), '<p>首页</p>')
  await writeFile(path.join(build, 'stories', 'gong-jiang', 'index.html'), '<p>工匠</p>')
  await writeFile(path.join(build, '.state.json'), '{"secret":true}')
  await writeFile(path.join(build, '_redirects'), '/stories/old/ /stories/gong-jiang/ 301')
  await writeFile(path.join(distDir, 'secret.txt'), 'not the site’s')
  await symlink(path.relative(distDir, build), path.join(distDir, 'site'), 'dir')
  served = await serveSite({ distDir })
})

afterAll(async () => {
  await served?.close()
  await rm(distDir, { recursive: true, force: true })
})

describe('the site server’s files', () => {
  it('sends each version of a feed whole while publishes replace it, never a cut-off body', async () => {
    // Another process renames the two versions over rss.xml, over and over, as publishes do.
    const renamer = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs'), path = require('node:path')
         const [dir, long, short] = process.argv.slice(1)
         for (let i = 0; ; i += 1) {
           const temporary = path.join(dir, '.rss.xml.' + i)
           fs.writeFileSync(temporary, i % 2 ? short : long)
           fs.renameSync(temporary, path.join(dir, 'rss.xml'))
           if (i === 1) process.stdout.write('renaming\\n')
         }`,
        build,
        long,
        short,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    )
    try {
      // Requests only once both versions have been renamed in.
      await new Promise((resolve, reject) => {
        renamer.stdout.once('data', resolve)
        renamer.once('exit', reject)
      })
      const bodies: string[] = []
      for (let round = 0; round < 60; round += 1) {
        const answers = await Promise.all(
          Array.from({ length: 8 }, async () => {
            const response = await fetch(`${served.address}/rss.xml`)
            const body = await response.text()
            expect(response.status).toBe(200)
            expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(body))
            return body
          }),
        )
        bodies.push(...answers)
      }
      expect(bodies.filter((body) => body !== long && body !== short)).toEqual([])
      // Both versions were sent: the files really changed under the requests.
      expect(new Set(bodies)).toEqual(new Set([long, short]))
    } finally {
      renamer.kill('SIGKILL')
    }
  })

  it('answers a folder by its index page, moves a folder asked without its slash, and keeps dot files and paths outside the site out', async () => {
    const home = await fetch(`${served.address}/`)
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await home.text()).toBe('<p>首页</p>')
    const moved = await fetch(`${served.address}/stories/gong-jiang?from=rss`, { redirect: 'manual' })
    expect(moved.status).toBe(301)
    expect(moved.headers.get('location')).toBe('/stories/gong-jiang/?from=rss')
    // Sent as they are (fetch would resolve the dots first): a file beside the site stays out.
    for (const hidden of [
      '/.state.json',
      '/stories/..%2F..%2Fsecret.txt',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%5Csecret.txt',
      '/a%00b',
      '/%5Fredirects',
    ])
      expect((await rawGet(`${served.address}${hidden}`)).status).toBe(404)
  })

  it('answers 304 to a request whose ETag still holds, and the new file once it changed', async () => {
    await writeFile(path.join(build, 'stories', 'gong-jiang', 'index.html'), '<p>工匠</p>')
    const page = `${served.address}/stories/gong-jiang/`
    const first = await fetch(page)
    const tag = first.headers.get('etag') as string
    expect(tag).toBeTruthy()
    // As a browser revalidates (fetch would add Cache-Control: no-cache and get the file anyway).
    expect((await rawGet(page, { 'if-none-match': tag })).status).toBe(304)
    await writeFile(path.join(build, 'stories', 'gong-jiang', 'index.html'), '<p>工匠精神（更正）</p>')
    const changed = await rawGet(page, { 'if-none-match': tag })
    expect(changed.status).toBe(200)
    expect(changed.body.toString()).toBe('<p>工匠精神（更正）</p>')
  })
})
