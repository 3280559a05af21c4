import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Story, User } from '../../cms/payload-types.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * With HONGYAN_SMTP_URL set, a notification is also e-mailed, to a real SMTP server the test
 * runs (with a login, as a newsroom's mail server would ask); when the server is gone the save
 * still goes through and the inbox still has it.
 */
type Mail = { from: string; to: string[]; data: string }

const password = 'a-long-test-password'
const mails: Mail[] = []
let smtp: SMTPServer
let kitchen: TestKitchen
let reporter: User
let editor: User
let sectionId: number

beforeAll(async () => {
  smtp = new SMTPServer({
    // Plain SMTP on localhost, with a login: no TLS certificate for a test to make.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => {
      if (auth.username === 'desk' && auth.password === 'p@ss word') callback(null, { user: 'desk' })
      else callback(new Error('bad login'))
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((to) => to.address),
          data: Buffer.concat(chunks).toString('utf8'),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  const { port } = smtp.server.address() as AddressInfo
  process.env.HONGYAN_SMTP_URL = `smtp://desk:${encodeURIComponent('p@ss word')}@127.0.0.1:${port}`
  process.env.HONGYAN_SMTP_FROM = 'desk@hongyan.test'
  kitchen = await startTestKitchen()
  const { payload } = kitchen
  const account = (name: string, email: string, role: User['role']) =>
    payload.create({ collection: collectionSlugs.users, data: { email, password, name, role } })
  await account('管理员', 'admin@mail.test', 'admin')
  reporter = await account('王晓燕', 'wang@mail.test', 'reporter')
  editor = await account('李编辑', 'li@mail.test', 'editor')
  sectionId = (
    await payload.create({ collection: collectionSlugs.sections, data: { name: '要闻', order: 1 } })
  ).id
}, 120_000)

afterAll(async () => {
  await kitchen?.cleanup()
  await new Promise<void>((resolve) => (smtp ? smtp.close(resolve) : resolve()))
  delete process.env.HONGYAN_SMTP_URL
  delete process.env.HONGYAN_SMTP_FROM
})

async function sentBack(title: string, reason: string): Promise<Story> {
  const { payload } = kitchen
  const story = await payload.create({
    collection: collectionSlugs.stories,
    data: {
      title,
      section: sectionId,
      body: savedState(root(paragraph(text(`${title}。`)))) as unknown as Story['body'],
    },
    draft: true,
    user: reporter,
    overrideAccess: false,
  })
  const as = { draft: true, overrideAccess: false } as const
  await payload.update({
    collection: 'stories',
    id: story.id,
    data: { stage: 'in_review' },
    user: reporter,
    ...as,
  })
  return payload.update({
    collection: 'stories',
    id: story.id,
    data: { stage: 'draft', stageNote: reason },
    user: editor,
    ...as,
  })
}

/** The subject and the text of a single-part message, decoded (UTF-8 in base64 or quoted-printable). */
function decoded(mail: Mail): { subject: string; text: string } {
  const [head = '', ...rest] = mail.data.split('\r\n\r\n')
  const body = rest.join('\r\n\r\n')
  const unfolded = head.replace(/\r\n\s+/g, ' ')
  const subject = (/^Subject: (.*)$/m.exec(unfolded)?.[1] ?? '').replace(
    /=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi,
    (_, kind: string, words: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(words, 'base64').toString('utf8') : quotedPrintable(words),
  )
  const encoding = /^Content-Transfer-Encoding: (.*)$/im.exec(unfolded)?.[1]?.trim().toLowerCase()
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? quotedPrintable(body)
        : body
  return { subject, text }
}

function quotedPrintable(value: string): string {
  const bytes = value
    .replace(/=\r?\n/g, '')
    .replace(/_/g, ' ')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => `%${hex}`)
  return decodeURIComponent(bytes)
}

describe('通知 by e-mail', () => {
  it('e-mails the recipient what their inbox says', async () => {
    const story = await sentBack('职工食堂涨价了吗', '请补充食堂的回应')
    await expect.poll(() => mails.length).toBe(1)
    const [mail] = mails
    expect(mail?.to).toEqual(['wang@mail.test'])
    expect(mail?.from).toBe('desk@hongyan.test')
    const { subject, text: words } = decoded(mail as Mail)
    expect(subject).toBe('【鸿雁】退回修改')
    expect(words).toContain('李编辑 退回了《职工食堂涨价了吗》：请补充食堂的回应')
    const inbox = await kitchen.payload.find({
      collection: collectionSlugs.notifications,
      where: { story: { equals: story.id } },
    })
    expect(inbox.docs.map((doc) => doc.recipient)).toEqual([expect.objectContaining({ id: reporter.id })])
  })

  it('keeps the save and the inbox when the mail server is down', async () => {
    await new Promise<void>((resolve) => smtp.close(resolve))
    const story = await sentBack('停电通知', '时间写错了')
    expect(story.stage).toBe('draft')
    const { totalDocs } = await kitchen.payload.count({
      collection: collectionSlugs.notifications,
      where: { story: { equals: story.id } },
    })
    expect(totalDocs).toBe(1)
    expect(mails).toHaveLength(1)
  })
})
