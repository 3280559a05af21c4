import type { CollectionBeforeChangeHook } from 'payload'

/** The account that created a document owns it; clients can neither set nor change the owner. */
export const stampCreator: CollectionBeforeChangeHook = ({ data, operation, req, originalDoc }) => ({
  ...data,
  createdBy: operation === 'create' ? (req.user?.id ?? null) : originalDoc?.createdBy,
})
