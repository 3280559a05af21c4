/**
 * Words a Chinese byline puts around names: `记者 王晓燕 通讯员 李强`, `本报记者王晓燕`, `文/图 郑凯`.
 * Single-character roles (文, 图, 摄) are dropped only as whole words, so a name that starts
 * with one (文静) keeps it.
 */
const ROLES = [
  '本报记者',
  '特约记者',
  '见习记者',
  '实习记者',
  '首席记者',
  '融媒体记者',
  '记者',
  '特约通讯员',
  '通讯员',
  '实习生',
  '摄影',
  '摄像',
  '撰文',
  '责任编辑',
  '编辑',
  '视频',
  '报道',
] as const
const SINGLE_ROLES = new Set(['文', '图', '摄', '编'])

/**
 * 作者 as WeChat shows it: the names in the byline text, in order, once each, joined by a
 * space (`王晓燕 李强`); else the staff authors' names; else null. Never cut to WeChat's 8
 * characters: `checkWechatLimits` refuses a longer one and the editor decides.
 */
export function wechatAuthor({
  bylineText,
  staffNames = [],
}: {
  bylineText: string | null | undefined
  staffNames?: readonly string[]
}): string | null {
  const fromText = namesInByline(bylineText ?? '')
  const names = fromText.length ? fromText : staffNames.map((name) => name.trim()).filter(Boolean)
  return names.length ? [...new Set(names)].join(' ') : null
}

function namesInByline(text: string): string[] {
  return text
    .split(/[\s\u3000、，,；;/|｜：:]+/u)
    .map(withoutRoles)
    .filter((word) => word !== '' && !SINGLE_ROLES.has(word))
}

/** `本报记者王晓燕` → `王晓燕`; a word that is only a role → ``. */
function withoutRoles(word: string): string {
  let rest = word.trim()
  for (let role = leadingRole(rest); role; role = leadingRole(rest)) rest = rest.slice(role.length)
  return rest
}

const leadingRole = (word: string): string | undefined => ROLES.find((role) => word.startsWith(role))
