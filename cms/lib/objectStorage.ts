import type { S3ClientConfig } from '@aws-sdk/client-s3'

/**
 * Where Hongyan keeps files on S3-compatible object storage (Aliyun OSS, Tencent COS, Huawei OBS,
 * MinIO, AWS S3): one endpoint and one set of keys, with two buckets that may be the same.
 * - media: `HONGYAN_S3_BUCKET` (uploads and every rendition, through @payloadcms/storage-s3);
 * - site: `HONGYAN_SITE_BUCKET` with `HONGYAN_SITE_PREFIX` (the built static site).
 * Unset buckets mean the local folders (`media/`, the dist folder), the one-machine default.
 */
export type ObjectStorageSettings = {
  /** The S3 client's settings: endpoint, region, keys, path-style addressing, checksums (s3ClientConfig). */
  client: S3ClientConfig
  /** The media bucket, when media live on object storage. */
  mediaBucket?: string
  /** The public address of the media bucket's objects (a CDN or the bucket's own), if any. */
  mediaPublicUrl?: string
  /** The site bucket and the key prefix the built site goes under ('' for the bucket's root). */
  siteBucket?: string
  sitePrefix: string
}

type Env = Record<string, string | undefined>

/** Reads the object-storage settings, or undefined when neither bucket is set. */
export function objectStorageSettings(env: Env = process.env): ObjectStorageSettings | undefined {
  const mediaBucket = env.HONGYAN_S3_BUCKET?.trim() || undefined
  const siteBucket = env.HONGYAN_SITE_BUCKET?.trim() || undefined
  if (!mediaBucket && !siteBucket) return undefined
  const accessKeyId = env.HONGYAN_S3_ACCESS_KEY_ID
  const secretAccessKey = env.HONGYAN_S3_SECRET_ACCESS_KEY
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      'HONGYAN_S3_BUCKET / HONGYAN_SITE_BUCKET is set but HONGYAN_S3_ACCESS_KEY_ID or HONGYAN_S3_SECRET_ACCESS_KEY is not (see docs/configuration.md)',
    )
  }
  const sitePrefix = (env.HONGYAN_SITE_PREFIX ?? '').trim().replace(/^\/+|\/+$/g, '')
  // One bucket for both: the site's `media/<file>` keys would be the media library's own (a
  // deploy's deletion would destroy them), and the public site would expose every media object.
  if (mediaBucket && mediaBucket === siteBucket && sitePrefix === '') {
    throw new Error(
      "HONGYAN_S3_BUCKET equals HONGYAN_SITE_BUCKET and HONGYAN_SITE_PREFIX is empty: the site would overwrite and delete the media library's objects; set HONGYAN_SITE_PREFIX (e.g. site) or give the site a bucket of its own (see docs/configuration.md)",
    )
  }
  const endpoint = env.HONGYAN_S3_ENDPOINT?.trim() || undefined
  return {
    client: s3ClientConfig({
      region: env.HONGYAN_S3_REGION?.trim() || 'us-east-1',
      ...(endpoint ? { endpoint } : {}),
      // MinIO and most self-hosted servers want path-style addresses; the big clouds accept both.
      forcePathStyle: env.HONGYAN_S3_FORCE_PATH_STYLE
        ? env.HONGYAN_S3_FORCE_PATH_STYLE === '1'
        : Boolean(endpoint),
      credentials: { accessKeyId, secretAccessKey },
    }),
    mediaBucket,
    mediaPublicUrl: env.HONGYAN_S3_PUBLIC_URL?.trim().replace(/\/+$/, '') || undefined,
    siteBucket,
    sitePrefix,
  }
}

/**
 * An S3 client's settings as every S3-compatible provider takes them, for every client Hongyan
 * builds (media, site deploy). Checksums only where S3 requires them: the SDK's default (since
 * 2025) sends a streamed body `aws-chunked` with a trailing CRC32, which OSS, COS, OBS and older
 * MinIO do not all understand; s3rver stores the chunk framing as the object's bytes.
 * Content-Length and the transport's own checks remain.
 */
export function s3ClientConfig(client: S3ClientConfig): S3ClientConfig {
  return {
    ...client,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  }
}

/** Where the built site is deployed: the S3 client's settings, the bucket and the key prefix. */
export type SiteBucket = { client: S3ClientConfig; bucket: string; prefix: string }

/** The site bucket from the environment, or undefined when the site stays in the dist folder only. */
export function siteBucketOf(env: Env = process.env): SiteBucket | undefined {
  const settings = objectStorageSettings(env)
  if (!settings?.siteBucket) return undefined
  return { client: settings.client, bucket: settings.siteBucket, prefix: settings.sitePrefix }
}
