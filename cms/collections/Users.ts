import {
  APIError,
  type CollectionBeforeChangeHook,
  type CollectionBeforeOperationHook,
  type CollectionConfig,
} from 'payload'
import { adminFieldOnly, adminOrSelf, isAdmin, isLoggedIn } from '../access/roles.ts'
import { auditChange, auditDelete } from '../hooks/audit.ts'
import { serverSettings } from '../settings.ts'
import { collectionSlugs } from '../slugs.ts'
import { roleLabels, roles } from '../workflow/roles.ts'

/** The very first account becomes an admin, whatever it asked for. */
const firstUserIsAdmin: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  if (operation !== 'create') return data
  const { totalDocs } = await req.payload.count({
    collection: collectionSlugs.users,
    overrideAccess: true,
    req,
  })
  return totalDocs === 0 ? { ...data, role: 'admin' } : data
}

/**
 * Only an admin changes a role. The role field's own access would drop the change silently;
 * a user asking to raise their own role is told no (403), over REST and GraphQL alike.
 * (Non-admins update no account but their own: see `adminOrSelf`.)
 */
const onlyAdminsChangeRoles: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  const role = (args as { data?: { role?: unknown } }).data?.role
  const user = req.user as { role?: unknown } | null
  if (operation === 'update' && role !== undefined && user && !isAdmin({ req }) && role !== user.role) {
    throw new APIError('只有管理员可以更改角色 / Only admins change roles', 403, undefined, true)
  }
  return args
}

export const Users: CollectionConfig = {
  slug: collectionSlugs.users,
  labels: {
    singular: { zh: '用户', en: 'User' },
    plural: { zh: '用户', en: 'Users' },
  },
  auth: {
    // Five wrong passwords lock the account for ten minutes (Payload counts them per account).
    maxLoginAttempts: 5,
    lockTime: 10 * 60 * 1000,
    // An editor's session lasts a working day.
    tokenExpiration: 8 * 60 * 60,
    cookies: {
      // Secure whenever the admin is served over HTTPS (see README, "Security").
      secure: serverSettings().isSecureCookie,
      sameSite: 'Lax',
    },
  },
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'email', 'role'],
    group: { zh: '系统', en: 'System' },
  },
  access: {
    read: isLoggedIn,
    create: isAdmin,
    update: adminOrSelf,
    delete: isAdmin,
    admin: isLoggedIn,
  },
  hooks: {
    beforeOperation: [onlyAdminsChangeRoles],
    beforeChange: [firstUserIsAdmin],
    afterChange: [auditChange],
    afterDelete: [auditDelete],
  },
  fields: [
    {
      name: 'name',
      type: 'text',
      required: true,
      label: { zh: '显示名', en: 'Display name' },
    },
    {
      name: 'role',
      type: 'select',
      required: true,
      defaultValue: 'reporter',
      saveToJWT: true,
      label: { zh: '角色', en: 'Role' },
      options: roles.map((role) => ({ value: role, label: roleLabels[role] })),
      access: { create: adminFieldOnly, update: adminFieldOnly },
    },
  ],
}
