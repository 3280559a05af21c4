import { createWechatClient, WECHAT_API_BASE, type WechatClient } from './client.ts'
import { WechatExportError } from './exportError.ts'

/** The official account Hongyan pushes drafts to. */
export interface WechatSettings {
  appId: string
  secret: string
  /** WeChat's API, or a stand-in (a test server, a proxy with a fixed IP for WeChat's whitelist). */
  apiBase: string
}

/**
 * The account from the environment: `HONGYAN_WECHAT_APPID` and `HONGYAN_WECHAT_SECRET`, and
 * `HONGYAN_WECHAT_API_BASE` (default WeChat's own); null while either of the first two is unset.
 */
export function wechatSettings({
  env = process.env,
}: {
  env?: NodeJS.ProcessEnv
} = {}): WechatSettings | null {
  const appId = env.HONGYAN_WECHAT_APPID?.trim()
  const secret = env.HONGYAN_WECHAT_SECRET?.trim()
  if (!appId || !secret) return null
  return { appId, secret, apiBase: env.HONGYAN_WECHAT_API_BASE?.trim() || WECHAT_API_BASE }
}

/** The account, or a 503 WechatExportError saying which settings are missing. */
export function requireWechatSettings({
  env = process.env,
}: {
  env?: NodeJS.ProcessEnv
} = {}): WechatSettings {
  const settings = wechatSettings({ env })
  if (settings) return settings
  throw new WechatExportError({
    zh: '公众号未配置：请设置 HONGYAN_WECHAT_APPID 和 HONGYAN_WECHAT_SECRET',
    en: 'the WeChat official account is not configured: set HONGYAN_WECHAT_APPID and HONGYAN_WECHAT_SECRET',
    status: 503,
  })
}

/** A client of the configured account. */
export function wechatClientOf({ settings }: { settings: WechatSettings }): WechatClient {
  return createWechatClient({ appId: settings.appId, secret: settings.secret, apiBase: settings.apiBase })
}
