import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'

/** Every file under `dir`, relative to it, following the live symlink. */
export async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
}

export async function htmlPagesOf(dir: string): Promise<string[]> {
  return (await filesOf(dir)).filter((file) => file.endsWith('.html'))
}

/**
 * Root-relative links (`href`, `src`, `srcset`) of every page that resolve to no file of
 * the built site, as `page → target`.
 */
export async function brokenInternalLinks(dir: string): Promise<string[]> {
  const broken: string[] = []
  for (const page of await htmlPagesOf(dir)) {
    const html = await readFile(path.join(dir, page), 'utf8')
    const targets = [
      ...[...html.matchAll(/\s(?:href|src)="(\/[^"]*)"/g)].map((m) => m[1] as string),
      ...[...html.matchAll(/\ssrcset="([^"]*)"/g)].flatMap((m) =>
        (m[1] as string).split(', ').map((candidate) => candidate.split(' ')[0] as string),
      ),
    ].filter((target) => target.startsWith('/') && !target.startsWith('//'))
    for (const target of targets) {
      const pathname = decodeURIComponent(new URL(target, 'http://site').pathname)
      const file = path.join(dir, pathname)
      const isFound = pathname.endsWith('/') ? existsSync(path.join(file, 'index.html')) : existsSync(file)
      if (!isFound) broken.push(`${page} → ${target}`)
    }
  }
  return broken
}

export type VnuMessage = { type: string; url?: string; message: string; extract?: string; lastLine?: number }

/** The W3C Nu HTML checker (npm `vnu-jar`, run on the machine's Java) over every page. */
export async function validateHtml(files: string[]): Promise<VnuMessage[]> {
  const jar = createRequire(import.meta.url)('vnu-jar') as string
  const child = spawn('java', ['-jar', jar, '--errors-only', '--format', 'json', ...files], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let report = ''
  child.stderr.on('data', (chunk: Buffer) => {
    report += chunk.toString()
  })
  child.stdout.resume()
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (err) =>
      reject(
        new Error(`the HTML checker needs Java (apt-get install -y default-jre-headless): ${err.message}`),
      ),
    )
    child.once('exit', resolve)
  })
  const parsed = JSON.parse(report || '{"messages":[]}') as { messages: VnuMessage[] }
  if (code !== 0 && parsed.messages.length === 0)
    throw new Error(`vnu exited ${code}: ${report.slice(0, 500)}`)
  return parsed.messages
}
