import { afterEach, describe, expect, it } from 'vitest'
import { formatDuration, parseDuration } from '../../cms/lib/duration.ts'
import { backupSettings } from '../../cms/ops/backup/backupSettings.ts'

const saved = { every: process.env.HONGYAN_BACKUP_EVERY, keep: process.env.HONGYAN_BACKUP_KEEP }

afterEach(() => {
  for (const [name, value] of [
    ['HONGYAN_BACKUP_EVERY', saved.every],
    ['HONGYAN_BACKUP_KEEP', saved.keep],
  ] as const) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

describe('durations as an operator writes them', () => {
  it('reads seconds, minutes, hours, days and their sums; off is none', () => {
    const read = (text: string) => parseDuration({ text, name: 'X' })
    expect(read('2s')).toBe(2000)
    expect(read('30m')).toBe(30 * 60_000)
    expect(read('24h')).toBe(24 * 3_600_000)
    expect(read('1d')).toBe(24 * 3_600_000)
    expect(read(' 1h 30m ')).toBe(90 * 60_000)
    expect(read('OFF')).toBeUndefined()
  })

  it('refuses anything else, naming the setting and saying what to write', () => {
    for (const text of ['', '24', 'daily', '1w', '0s', '-1h', '1.5h', '1h junk']) {
      expect(() => parseDuration({ text, name: 'HONGYAN_BACKUP_EVERY' })).toThrow(
        `HONGYAN_BACKUP_EVERY=${JSON.stringify(text)} is not a duration: write a number and a unit (s, m, h, d), e.g. 30m, 24h, 1d, or off`,
      )
    }
  })

  it('writes a duration back in its largest whole unit', () => {
    expect([86_400_000, 5_400_000, 3000, 1500].map((ms) => formatDuration({ ms }))).toEqual([
      '1d',
      '90m',
      '3s',
      '1500ms',
    ])
  })
})

describe('the backup settings', () => {
  it('default to daily, keeping 7', () => {
    process.env.HONGYAN_BACKUP_EVERY = ''
    process.env.HONGYAN_BACKUP_KEEP = ''
    expect(backupSettings()).toMatchObject({ everyMs: 86_400_000, keep: 7 })
  })

  it('read HONGYAN_BACKUP_EVERY and HONGYAN_BACKUP_KEEP, and refuse a keep that is no whole number', () => {
    process.env.HONGYAN_BACKUP_EVERY = '30m'
    process.env.HONGYAN_BACKUP_KEEP = '3'
    expect(backupSettings()).toMatchObject({ everyMs: 1_800_000, keep: 3 })
    process.env.HONGYAN_BACKUP_EVERY = 'off'
    expect(backupSettings().everyMs).toBeUndefined()
    for (const keep of ['0', '-2', '2.5', 'all']) {
      process.env.HONGYAN_BACKUP_KEEP = keep
      expect(() => backupSettings()).toThrow(
        `HONGYAN_BACKUP_KEEP=${JSON.stringify(keep)} is not a number of archives`,
      )
    }
  })
})
