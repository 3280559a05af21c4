/** The newsroom's roles: who writes, who reviews and publishes, who runs the kitchen. */
export const roles = ['admin', 'editor', 'reporter'] as const
export type Role = (typeof roles)[number]
