import type { RelationshipField } from 'payload'
import { isLoggedIn } from '../access/roles.ts'
import { collectionSlugs } from '../slugs.ts'

/** Who created the document (set by `stampCreator`); staff only. */
export const createdByField: RelationshipField = {
  name: 'createdBy',
  type: 'relationship',
  relationTo: collectionSlugs.users,
  label: { zh: '创建人', en: 'Created by' },
  access: { read: isLoggedIn },
  admin: { position: 'sidebar', readOnly: true },
}
