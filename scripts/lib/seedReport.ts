import type { SeedResult } from '../../cms/seed/index.ts'

export function printSeedResult({ admin, created }: SeedResult): void {
  const counts = Object.entries(created)
    .map(([what, count]) => `${count} ${what}`)
    .join(', ')
  console.log(`seed: created ${counts}`)
  if (!admin) return
  console.log(`seed: admin account ${admin.email}`)
  if (admin.generatedPassword) {
    console.log(`seed: its generated password (shown only this once): ${admin.generatedPassword}`)
  }
}
