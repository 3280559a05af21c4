import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const projectRoot = path.resolve(import.meta.dirname, '../..')
const config = path.join(projectRoot, '.dependency-cruiser.cjs')
const depcruise = path.join(projectRoot, 'node_modules', '.bin', 'depcruise')

const trees: string[] = []
afterEach(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** The layer lint (`npm run lint:layers`) over a tree of the given files, as CI runs it. */
function lintLayers({ cwd, folders }: { cwd: string; folders: string[] }) {
  const run = spawnSync(depcruise, [...folders, '--config', config, '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  })
  return { status: run.status, output: `${run.stdout}${run.stderr}` }
}

/** A small house: the layers' folders with one module each, importing downward only. */
function plantHouse(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hongyan-layers-'))
  trees.push(dir)
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true } }),
  )
  const house: Record<string, string> = {
    'cms/collections/Stories.ts':
      "import { publish } from '../publishing/publish.ts'\nexport const stories = publish",
    'cms/publishing/publish.ts':
      "import { render } from '../channels/render.ts'\nexport const publish = render",
    'cms/channels/render.ts': "export const render = (text: string) => '<p>' + text + '</p>'",
    'cms/slugs.ts': "export const slugs = { stories: 'stories' }",
    ...files,
  }
  for (const [file, text] of Object.entries(house)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), `${text}\n`)
  }
  return dir
}

describe('the layer lint', () => {
  it('passes on the project as it is', () => {
    const { status, output } = lintLayers({ cwd: projectRoot, folders: ['cms', 'site', 'scripts', 'tests'] })
    expect(output).toContain('no dependency violations found')
    expect(status).toBe(0)
  })

  it('passes on a house whose imports go downward', () => {
    const cwd = plantHouse({})
    expect(lintLayers({ cwd, folders: ['cms'] }).status).toBe(0)
  })

  it('fails on a planted back-arrow: a renderer importing the outlet above it', () => {
    const cwd = plantHouse({
      'cms/channels/render.ts':
        "import { publish } from '../publishing/publish.ts'\nexport const render = (text: string) => '<p>' + text + '</p>' + String(publish)",
    })
    const { status, output } = lintLayers({ cwd, folders: ['cms'] })
    expect(status).not.toBe(0)
    expect(output).toMatch(/renderers-are-pure: cms\/channels\/render\.ts → cms\/publishing\/publish\.ts/)
  })

  it('fails when a foundation imports a collection', () => {
    const cwd = plantHouse({
      'cms/lib/names.ts': "import { stories } from '../collections/Stories.ts'\nexport const names = stories",
    })
    const { status, output } = lintLayers({ cwd, folders: ['cms'] })
    expect(status).not.toBe(0)
    expect(output).toMatch(/no-upward-from-foundations: cms\/lib\/names\.ts → cms\/collections\/Stories\.ts/)
  })

  it('fails when cms imports a test helper', () => {
    const cwd = plantHouse({
      'tests/helpers/clock.ts': 'export const now = () => 0',
      'cms/publishing/publish.ts':
        "import { now } from '../../tests/helpers/clock.ts'\nexport const publish = now",
    })
    const { status, output } = lintLayers({ cwd, folders: ['cms', 'tests'] })
    expect(status).not.toBe(0)
    expect(output).toContain('cms-never-imports-scripts-or-tests')
  })
})
