import config from '@payload-config'
import { REST_DELETE, REST_GET, REST_OPTIONS, REST_PATCH, REST_POST, REST_PUT } from '@payloadcms/next/routes'
import { guardApi } from '../../../../security/apiGuard.ts'

export const GET = guardApi({ handler: REST_GET(config), config })
export const POST = guardApi({ handler: REST_POST(config), config })
export const DELETE = guardApi({ handler: REST_DELETE(config), config })
export const PATCH = guardApi({ handler: REST_PATCH(config), config })
export const PUT = guardApi({ handler: REST_PUT(config), config })
export const OPTIONS = REST_OPTIONS(config)
