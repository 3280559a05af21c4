/**
 * What WeChat accepts for one article. `content` comes from the official draft/add API:
 * "必须少于2万字符，小于1M" (strictly less than 20,000 characters, markup included, and than
 * 1 MB); title, author and digest are what the 公众平台 editor enforces (at most 64, 8 and 120
 * characters), the source URL (阅读原文) at most 1 KB.
 */
export const wechatLimits = {
  titleCharacters: 64,
  authorCharacters: 8,
  digestCharacters: 120,
  contentCharacters: 20_000,
  contentBytes: 1_048_576,
  sourceUrlBytes: 1024,
} as const

/**
 * One thing WeChat would refuse. `over` is how much must go for it to pass: for the
 * strictly-less content limits that is one more than `actual - limit`.
 */
export interface WechatLimitProblem {
  field: 'title' | 'author' | 'digest' | 'content' | 'contentBytes' | 'sourceUrl'
  limit: number
  actual: number
  over: number
  /** One line for the editor, Chinese then English. */
  message: string
}

/**
 * Everything over WeChat's limits, in field order; empty when the article fits. Characters
 * are counted as code points. Nothing is cut: an editor shortens the story.
 */
export function checkWechatLimits({
  title,
  author,
  digest,
  content,
  sourceUrl,
}: {
  title: string
  author: string | null
  digest: string | null
  content: string
  sourceUrl: string
}): WechatLimitProblem[] {
  const checks: Check[] = [
    {
      field: 'title',
      actual: characters(title),
      limit: wechatLimits.titleCharacters,
      ...atMost('标题', 'Title'),
    },
    {
      field: 'author',
      actual: characters(author ?? ''),
      limit: wechatLimits.authorCharacters,
      ...atMost('作者', 'Author'),
    },
    {
      field: 'digest',
      actual: characters(digest ?? ''),
      limit: wechatLimits.digestCharacters,
      ...atMost('摘要', 'Digest'),
    },
    {
      field: 'content',
      actual: characters(content),
      limit: wechatLimits.contentCharacters,
      isStrict: true,
      describe: ({ actual, limit, over }) =>
        `正文（含排版代码）${actual} 字符，公众号要求少于 ${limit} 字符，超出 ${over} 字符 / ` +
        `Content with markup is ${en(actual)} characters, ${en(over)} over WeChat's limit (under ${en(limit)})`,
    },
    {
      field: 'contentBytes',
      actual: bytes(content),
      limit: wechatLimits.contentBytes,
      isStrict: true,
      describe: ({ actual, limit, over }) =>
        `正文 ${actual} 字节，公众号要求小于 ${limit} 字节（1 MB），超出 ${over} 字节 / ` +
        `Content is ${en(actual)} bytes, ${en(over)} over WeChat's limit (under 1 MB, ${en(limit)} bytes)`,
    },
    {
      field: 'sourceUrl',
      actual: bytes(sourceUrl),
      limit: wechatLimits.sourceUrlBytes,
      describe: ({ actual, limit, over }) =>
        `原文链接 ${actual} 字节，超出公众号上限 ${limit} 字节 ${over} 字节 / ` +
        `Source URL is ${en(actual)} bytes, ${en(over)} over WeChat's limit of ${en(limit)}`,
    },
  ]
  return checks.flatMap(({ field, actual, limit, isStrict = false, describe }) => {
    const over = isStrict ? actual - limit + 1 : actual - limit
    return over > 0 ? [{ field, limit, actual, over, message: describe({ actual, limit, over }) }] : []
  })
}

/** WeChat would refuse the article: the problems, their messages joined in one. */
export class WechatLimitError extends Error {
  readonly problems: WechatLimitProblem[]
  constructor({ problems }: { problems: WechatLimitProblem[] }) {
    super(problems.map((problem) => problem.message).join('；'))
    this.name = 'WechatLimitError'
    this.problems = problems
  }
}

interface Check {
  field: WechatLimitProblem['field']
  actual: number
  limit: number
  /** WeChat wants less than the limit, not at most. */
  isStrict?: boolean
  describe: (numbers: { actual: number; limit: number; over: number }) => string
}

/** The message of an at-most character limit: `标题 70 字，超出公众号上限 64 字 6 字 / …`. */
function atMost(zh: string, english: string): Pick<Check, 'describe'> {
  return {
    describe: ({ actual, limit, over }) =>
      `${zh} ${actual} 字，超出公众号上限 ${limit} 字 ${over} 字 / ` +
      `${english} is ${en(actual)} characters, ${en(over)} over WeChat's limit of ${en(limit)}`,
  }
}

const characters = (text: string) => [...text].length
const bytes = (text: string) => new TextEncoder().encode(text).length
const en = (n: number) => n.toLocaleString('en-US')
