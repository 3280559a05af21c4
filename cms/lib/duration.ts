const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
}

/**
 * A duration as an operator writes it in a setting (`30s`, `30m`, `24h`, `1d`, `1h30m`), in
 * milliseconds; `off` is undefined. `name` is the setting's, for an error that says how to fix it.
 */
export function parseDuration({ text, name }: { text: string; name: string }): number | undefined {
  const compact = text.replace(/\s+/g, '').toLowerCase()
  if (compact === 'off') return undefined
  const parts = [...compact.matchAll(/(\d+)([smhd])/g)]
  const isWhole = parts.length > 0 && parts.map((part) => part[0]).join('') === compact
  const ms = parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * (UNIT_MS[unit ?? ''] ?? 0), 0)
  if (!isWhole || ms <= 0) {
    throw new Error(
      `${name}=${JSON.stringify(text)} is not a duration: write a number and a unit (s, m, h, d), e.g. 30m, 24h, 1d, or off`,
    )
  }
  return ms
}

/** `ms` as the largest whole unit that fits it exactly (`1d`, `90m`, `2s`): for logs and the admin. */
export function formatDuration({ ms }: { ms: number }): string {
  for (const unit of ['d', 'h', 'm', 's']) {
    const size = UNIT_MS[unit] ?? 1
    if (ms % size === 0) return `${ms / size}${unit}`
  }
  return `${ms}ms`
}
