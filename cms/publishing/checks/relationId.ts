/** A relation's id, whether the value is the id or the populated document. */
export function idOf(value: unknown): number | undefined {
  const raw = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : value
  const id = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw
  return typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : undefined
}
