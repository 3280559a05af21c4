/**
 * The newsroom's roles: who writes (reporter), who reviews and publishes (editor, the desk
 * head 部门主任 and the chief editor 总编辑), who runs the kitchen (admin).
 */
export const roles = ['admin', 'chief', 'deskHead', 'editor', 'reporter'] as const
export type Role = (typeof roles)[number]

export const roleLabels: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '管理员', en: 'Admin' },
  chief: { zh: '总编辑', en: 'Chief editor' },
  deskHead: { zh: '部门主任', en: 'Desk head' },
  editor: { zh: '编辑', en: 'Editor' },
  reporter: { zh: '记者', en: 'Reporter' },
}

/** Everyone who reviews, schedules, publishes, corrects and withdraws: the desk, and admins. */
export const deskRoles: readonly Role[] = ['editor', 'deskHead', 'chief', 'admin']

export function isDeskRole(role: Role | undefined): boolean {
  return role !== undefined && deskRoles.includes(role)
}
