import type { Access, FieldAccess, PayloadRequest } from 'payload'
import { isDeskRole, type Role, roles } from '../workflow/roles.ts'

export function roleOf(req: PayloadRequest): Role | undefined {
  const role = (req.user as { role?: unknown } | null | undefined)?.role
  return roles.find((known) => known === role)
}

export const isLoggedIn = ({ req }: { req: PayloadRequest }): boolean => Boolean(req.user)

export const isAdmin = ({ req }: { req: PayloadRequest }): boolean => roleOf(req) === 'admin'

/** Editors, desk heads, the chief editor and admins: everyone but reporters. */
export const isDeskOrAdmin = ({ req }: { req: PayloadRequest }): boolean => isDeskRole(roleOf(req))

export const anyone: Access = () => true

/** For collections written only by the server itself (hooks, jobs). */
export const nobody: Access = () => false

/** Admins manage every account; anyone else only their own. */
export const adminOrSelf: Access = ({ req }) => {
  if (isAdmin({ req })) return true
  return req.user ? { id: { equals: req.user.id } } : false
}

export const adminFieldOnly: FieldAccess = ({ req }) => isAdmin({ req })

/** The chief editor (总编辑) and admins: the newsroom's own rules, like a section's review levels. */
export const isChiefOrAdmin: FieldAccess = ({ req }) => {
  const role = roleOf(req)
  return role === 'chief' || role === 'admin'
}

/** Editors and admins manage everyone's documents; a reporter only the ones they created. */
export const editorsOrOwner: Access = ({ req }) => {
  if (isDeskOrAdmin({ req })) return true
  return req.user ? { createdBy: { equals: req.user.id } } : false
}

/**
 * Set on the public plate's reads (published, live stories only): the media and people those
 * stories show are populated for the anonymous reader, and nothing else is.
 */
export const PUBLIC_PLATE_CONTEXT = 'publicPlate'

/**
 * Media are staff-only except as part of a published story: an anonymous client cannot
 * list images, captions and alt texts of drafts or embargoed stories.
 */
export const staffOrPublicPlate: Access = ({ req, isReadingStaticFile }) => {
  if (!req.user) return req.context?.[PUBLIC_PLATE_CONTEXT] === true
  // A file is served only when a media row names it: one cut off by a crash mid-upload (an
  // orphan until the worker's hourly sweep) is never served, even to staff.
  return isReadingStaticFile ? { id: { exists: true } } : true
}
