import { describe, expect, it } from 'vitest'
import { objectStorageSettings, siteBucketOf } from '../../cms/lib/objectStorage.ts'

const keys = {
  HONGYAN_S3_ENDPOINT: 'https://oss-cn-hangzhou.aliyuncs.com',
  HONGYAN_S3_ACCESS_KEY_ID: 'key',
  HONGYAN_S3_SECRET_ACCESS_KEY: 'secret',
}

describe('object storage settings', () => {
  it('refuses the site and the media in one bucket without a site prefix, naming the variables', () => {
    for (const prefix of [undefined, '', ' / ']) {
      const env = {
        ...keys,
        HONGYAN_S3_BUCKET: 'hongyan',
        HONGYAN_SITE_BUCKET: ' hongyan ',
        ...(prefix === undefined ? {} : { HONGYAN_SITE_PREFIX: prefix }),
      }
      expect(() => objectStorageSettings(env)).toThrow(
        /^HONGYAN_S3_BUCKET equals HONGYAN_SITE_BUCKET and HONGYAN_SITE_PREFIX is empty: [^\n]+$/,
      )
      expect(() => siteBucketOf(env)).toThrow('HONGYAN_SITE_PREFIX is empty')
    }
  })

  it('takes one bucket with a site prefix, and two buckets without one', () => {
    expect(
      siteBucketOf({
        ...keys,
        HONGYAN_S3_BUCKET: 'hongyan',
        HONGYAN_SITE_BUCKET: 'hongyan',
        HONGYAN_SITE_PREFIX: '/site/',
      }),
    ).toMatchObject({ bucket: 'hongyan', prefix: 'site' })
    expect(
      siteBucketOf({ ...keys, HONGYAN_S3_BUCKET: 'hongyan-media', HONGYAN_SITE_BUCKET: 'hongyan-site' }),
    ).toMatchObject({ bucket: 'hongyan-site', prefix: '' })
    expect(siteBucketOf({ ...keys, HONGYAN_SITE_BUCKET: 'hongyan-site' })).toMatchObject({ prefix: '' })
  })

  it('gives every client checksums only where S3 requires them (streamed bodies sent plain)', () => {
    const settings = objectStorageSettings({ ...keys, HONGYAN_S3_BUCKET: 'hongyan-media' })
    expect(settings?.client).toMatchObject({
      endpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    })
  })
})
