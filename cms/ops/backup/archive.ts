import type { ManifestFile } from '../../lib/manifest.ts'

/**
 * A Hongyan backup is one `.tar.gz`:
 *
 * - `manifest.json`: what the archive holds, with every other member's sha256 and size;
 * - the database, in one of two formats (the manifest's `format`):
 *   - `pg_dump-custom`: `database.dump`, made by a `pg_dump` at least as new as the server;
 *   - `hongyan-copy`: `database/tables.json` and one `COPY` text file per table, made here
 *     in Node when there is no such `pg_dump` (the embedded Postgres packages ship none);
 * - `media/`: the uploads and their renditions.
 */
export const MANIFEST_FILE = 'manifest.json'
export const DUMP_FILE = 'database.dump'
export const COPY_INDEX_FILE = 'database/tables.json'
export const MEDIA_FOLDER = 'media'

export type BackupFormat = 'pg_dump-custom' | 'hongyan-copy'

export type Manifest = {
  kind: 'hongyan-backup'
  manifestVersion: 1
  createdAt: string
  hongyanVersion: string
  format: BackupFormat
  /** the pg_dump that wrote `database.dump` (format `pg_dump-custom` only) */
  dumpTool?: { version: string; major: number }
  database: DatabaseDescription
  /** the Payload migrations applied to the database, by name */
  migrations: string[]
  counts: { stories: number; media: number; users: number }
  /**
   * Every table's row count and row hash, read in the snapshot the database was dumped from:
   * what a verification compares a restored copy with (absent from archives made before).
   */
  tables?: TableHash[]
  files: ManifestFile[]
}

/** One table's rows as a backup's manifest records them (see tableHashes.ts). */
export type TableHash = { name: string; rows: number; md5: string }

export type DatabaseDescription = { name: string; schema: string; serverVersion: string; serverMajor: number }

/** Whether a parsed `manifest.json` is one this version reads. */
export function isReadableManifest(manifest: Manifest): boolean {
  return manifest.kind === 'hongyan-backup' && manifest.manifestVersion === 1 && Array.isArray(manifest.files)
}
