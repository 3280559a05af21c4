/**
 * How a call to the WeChat API failed:
 * - `wechat`: WeChat answered with a non-zero `errcode`;
 * - `answer`: something answered, but not as WeChat does (a non-2xx status, not JSON, a field missing);
 * - `network`: no answer (refused, reset, timed out);
 * - `refused`: we did not send it, because WeChat would refuse it (an image too large or not an image);
 *   such an error carries the errcode WeChat would have answered.
 */
export type WechatFailure = 'wechat' | 'answer' | 'network' | 'refused'

/**
 * Every failure of the WeChat client. `errcode` and `errmsg` are WeChat's own (errmsg as sent,
 * with its `rid`, which WeChat's support asks for); `endpoint` is the path called, never the
 * URL, which holds the AppSecret or the access_token. Editors read `describeWechatError(err)`.
 */
export class WechatApiError extends Error {
  /** WeChat's errcode; undefined for a failure WeChat gave none for (no answer, an answer not WeChat's). */
  readonly errcode: number | undefined
  readonly errmsg: string
  /** The path called, e.g. `/cgi-bin/draft/add`. */
  readonly endpoint: string
  readonly failure: WechatFailure
  /** The HTTP status of an answer that was not 2xx. */
  readonly status: number | undefined

  constructor({
    errcode,
    errmsg,
    endpoint,
    failure,
    status,
    cause,
  }: {
    errcode?: number
    errmsg: string
    endpoint: string
    failure: WechatFailure
    status?: number
    cause?: unknown
  }) {
    const code = errcode === undefined ? '' : ` ${errcode}`
    super(`WeChat ${endpoint} failed (${failure}${code}): ${errmsg}`, { cause })
    this.name = 'WechatApiError'
    this.errcode = errcode
    this.errmsg = errmsg
    this.endpoint = endpoint
    this.failure = failure
    this.status = status
  }
}

/** The errcodes that mean the access_token the call used is no good: fetch another and retry once. */
export const TOKEN_REJECTED_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001])

const TOKEN_ENDPOINT = '/cgi-bin/token'

/** What an editor is told for an errcode, `中文 / English`. */
const LINES: Readonly<Record<number, string>> = {
  [-1]: '公众号系统繁忙，请稍后再推送 / WeChat is busy, try again later',
  40001: '公众号接口凭证无效，请重新推送 / invalid access_token',
  40002: '公众号接口凭证类型无效 / invalid grant_type',
  40004: '素材类型无效 / invalid media type',
  40005: '图片格式或大小不符（只能是 JPG 或 PNG）/ invalid image type',
  40006: '图片格式或大小不符（图片素材须小于 10 MB）/ image too large',
  40007: '素材无效（封面或图片已失效），请重新推送 / invalid media_id',
  40009: '图片格式或大小不符（正文图片须小于 1 MB）/ image too large',
  40013: 'AppID 或 AppSecret 无效，请检查公众号设置 / invalid appid or secret',
  40014: '公众号接口凭证无效，请重新推送 / invalid access_token',
  40125: 'AppID 或 AppSecret 无效，请检查公众号设置 / invalid appid or secret',
  41001: '缺少公众号接口凭证 / access_token missing',
  41002: '未设置公众号 AppID / appid missing',
  41004: '未设置公众号 AppSecret / appsecret missing',
  41005: '未收到图片数据 / media data missing',
  42001: '公众号接口凭证已过期，请重新推送 / access_token expired',
  43001: '公众号接口须用 GET 调用 / GET required',
  43002: '公众号接口须用 POST 调用 / POST required',
  44002: '推送内容为空 / empty post data',
  45002: '正文超过公众号长度上限（须少于 2 万字、小于 1 MB）/ content too long',
  45003: '标题过长，公众号标题最多 64 字 / title too long',
  45004: '摘要过长，公众号摘要最多 120 字 / digest too long',
  45005: '原文链接过长 / content_source_url too long',
  45008: '一次推送的文章超过 8 篇 / too many articles',
  45009: '接口调用次数已达今日上限，请明天再推送 / daily API quota reached',
  45110: '作者过长，公众号作者最多 8 字 / author too long',
  47001: '推送数据格式错误 / data format error',
  48001: '公众号没有该接口的权限（需完成微信认证）/ API unauthorized for this account',
  89503: '本次调用需公众号管理员在微信上确认，请联系管理员 / an admin must confirm this call',
  89506: '公众号管理员拒绝了本次调用 / an admin refused this call',
}

/**
 * One line an editor understands, Chinese first and English after a slash, for any error the
 * WeChat client throws (and the message of any other error). It never holds the AppSecret or
 * the access_token: WechatApiError carries neither.
 */
export function describeWechatError(err: unknown): string {
  if (!(err instanceof WechatApiError)) return oneLine(err instanceof Error ? err.message : String(err))
  const errmsg = oneLine(err.errmsg)
  if (err.failure === 'network') return `公众号接口无法连接：${errmsg} / cannot reach the WeChat API`
  if (err.failure === 'answer') return `公众号接口答复异常：${errmsg} / unexpected answer from the WeChat API`
  const { errcode } = err
  if (errcode === undefined) return `公众号接口返回错误：${errmsg}`
  if (errcode === 40164) {
    // WeChat names the IP it saw: the one to add to the whitelist.
    const ip = /invalid ip ([^\s,]+)/.exec(errmsg)?.[1]
    const where = '请在公众平台「设置与开发 → 基本配置」中添加'
    return ip
      ? `服务器 IP ${ip} 不在公众号白名单，${where} / server IP ${ip} not whitelisted`
      : `服务器 IP 不在公众号白名单，${where} / server IP not whitelisted`
  }
  // At the token endpoint 40001 means the AppSecret is wrong, not the access_token.
  if (errcode === 40001 && err.endpoint === TOKEN_ENDPOINT) return LINES[40125] ?? errmsg
  return LINES[errcode] ?? `公众号接口返回错误 ${errcode}：${errmsg}`
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
