import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { focalCrop, renderStill } from '../../cms/publishing/tv/tvStill.ts'

const wide = 16 / 9

describe('the still’s frame', () => {
  it('keeps the marked subject in a panorama, moved inwards at the edges', () => {
    expect(focalCrop({ width: 4000, height: 1000, focalX: 50, focalY: 50, aspect: wide })).toEqual({
      left: 1111,
      top: 0,
      width: 1778,
      height: 1000,
    })
    expect(focalCrop({ width: 4000, height: 1000, focalX: 95, focalY: 50, aspect: wide })).toMatchObject({
      left: 4000 - 1778,
    })
    expect(focalCrop({ width: 4000, height: 1000, focalX: 2, focalY: 50, aspect: wide })).toMatchObject({
      left: 0,
    })
  })

  it('cuts a portrait photograph across, around the face marked near the top', () => {
    expect(focalCrop({ width: 1200, height: 1800, focalX: 50, focalY: 20, aspect: wide })).toEqual({
      left: 0,
      top: 23,
      width: 1200,
      height: 675,
    })
  })
})

describe('a still', () => {
  let dir = ''
  let source = ''
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hongyan-still-'))
    source = path.join(dir, 'banner.png')
    // A 3000×1000 banner: red on the left third, green in the middle, blue on the right.
    const third = (colour: string, left: number) => ({
      input: { create: { width: 1000, height: 1000, channels: 3 as const, background: colour } },
      left,
      top: 0,
    })
    await writeFile(
      source,
      await sharp({ create: { width: 3000, height: 1000, channels: 4, background: '#00000000' } })
        .composite([third('#ff0000', 0), third('#00ff00', 1000), third('#0000ff', 2000)])
        .png()
        .toBuffer(),
    )
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('is a full-HD JPEG showing the side of the picture the focal point is on', async () => {
    const colourAt = async (focalX: number) => {
      const still = await renderStill({ source, focalX, focalY: 50 })
      const { format, width, height } = await sharp(still).metadata()
      expect({ format, width, height }).toEqual({ format: 'jpeg', width: 1920, height: 1080 })
      const { dominant } = await sharp(still).stats()
      return dominant
    }
    expect(await colourAt(0)).toMatchObject({
      r: expect.toSatisfy((r: number) => r > 200),
      b: expect.toSatisfy((b: number) => b < 50),
    })
    expect(await colourAt(100)).toMatchObject({
      b: expect.toSatisfy((b: number) => b > 200),
      r: expect.toSatisfy((r: number) => r < 50),
    })
  })
})
