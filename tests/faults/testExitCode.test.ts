import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const projectRoot = path.resolve(import.meta.dirname, '../..')
const probes: string[] = []

afterEach(async () => {
  for (const probe of probes.splice(0)) await rm(probe, { force: true })
})

/**
 * The README's test command (`npm test`) on one probe test file, on the embedded Postgres as
 * on a fresh machine (the embedded server's exit hook once turned a failed run into exit 0).
 * The probe is written beside the suite for the run only: the suite itself never sees it.
 */
async function npmTestOn({ body }: { body: string }): Promise<{ code: number | null; output: string }> {
  const probe = path.join(projectRoot, 'tests', 'faults', `exitCodeProbe-${randomUUID().slice(0, 8)}.test.ts`)
  probes.push(probe)
  await writeFile(probe, `import { expect, it } from 'vitest'\n\nit('the probe', () => {\n  ${body}\n})\n`)
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' }
  for (const name of Object.keys(env))
    if (name.startsWith('VITEST') || name === 'DATABASE_URL') delete env[name]
  const child = spawn('npm', ['test', '--', path.relative(projectRoot, probe)], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, output }
}

describe('npm test', () => {
  it('exits non-zero when a test fails', async () => {
    const { code, output } = await npmTestOn({ body: "expect('劳动者').toBe('劳动')" })
    expect(output).toMatch(/1 failed/)
    expect(code).not.toBe(0)
  })

  it('exits 0 when every test passes', async () => {
    const { code, output } = await npmTestOn({ body: "expect('劳动者').toContain('劳动')" })
    expect(output).toMatch(/1 passed/)
    expect(code).toBe(0)
  })
})
