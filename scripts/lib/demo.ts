import type { Payload } from 'payload'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { roleLabels } from '../../cms/workflow/roles.ts'

/** Seeds the demo newsroom with the admin login from the environment, and says what it did. */
export async function seedFromEnvironment({ payload }: { payload: Payload }): Promise<void> {
  const { admin, staff, created } = await seedDemoContent({
    payload,
    adminEmail: process.env.HONGYAN_ADMIN_EMAIL,
    adminPassword: process.env.HONGYAN_ADMIN_PASSWORD,
  })
  const counts = Object.entries(created)
    .map(([what, count]) => `${count} ${what}`)
    .join(', ')
  console.log(`seed: created ${counts}`)
  if (!admin) return
  console.log(`seed: admin account ${admin.email}`)
  if (admin.generatedPassword) {
    console.log(`seed: its generated password (shown only this once): ${admin.generatedPassword}`)
  }
  if (staff?.length) {
    const list = staff
      .map((member) => `${member.name} ${roleLabels[member.role].zh} ${member.email}`)
      .join('; ')
    console.log(`seed: demo staff, with the admin's password: ${list}`)
  }
}
