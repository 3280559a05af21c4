'use client'

const names = new Map<number, Promise<string>>()

/** The user's name, asked once per page for every row that shows it. */
export function nameOf(id: number): Promise<string> {
  let name = names.get(id)
  if (!name) {
    name = fetch(`/api/users/${id}?depth=0`, { credentials: 'include' })
      .then(async (response) =>
        response.ok ? ((await response.json()) as { name?: string }).name : undefined,
      )
      .then((found) => found || `用户 ${id}`)
      .catch(() => `用户 ${id}`)
    names.set(id, name)
  }
  return name
}
