/** A Postgres identifier (table, column, database, type) quoted for SQL text. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
