import type { PostgresAdapterArgs } from '@payloadcms/db-postgres'
import { index } from '@payloadcms/db-postgres/drizzle/pg-core'

/**
 * An index on `parent_id` for every table of a hasMany text or number field (`stories_texts`
 * for tags, and their versions'). Payload indexes those tables on (`order`, `parent_id`) only,
 * which a read of one document's values cannot use: each read of a story walked the whole
 * index, so reading every story grew with the square of the archive (at 100k stories, 2 of
 * every 3 seconds of a site build's read went there).
 */
type SchemaHook = NonNullable<PostgresAdapterArgs['afterSchemaInit']>[number]

export const indexParents: SchemaHook = ({ schema, extendTable }) => {
  for (const [name, table] of Object.entries(schema.tables))
    if (/_(texts|numbers)$/.test(name))
      extendTable({
        table,
        extraConfig: (columns) => ({ parentIdx: index(`${name}_parent_idx`).on(columns.parent) }),
      })
  return schema
}
