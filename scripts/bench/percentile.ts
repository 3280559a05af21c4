/**
 * The `p`th percentile of the values: the one at index ⌊p/100 × n⌋ when sorted (so the 50th
 * is the median report.ts prints, and the 95th of fewer than 20 values is the largest); NaN
 * when there are none.
 */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number
}
