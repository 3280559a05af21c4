import nodemailer from 'nodemailer'
import type { EmailAdapter } from 'payload'

/** The inbox's optional e-mail: on only when HONGYAN_SMTP_URL names a mail server. */
export function isEmailConfigured(): boolean {
  return Boolean(process.env.HONGYAN_SMTP_URL)
}

/**
 * Payload's e-mail adapter for HONGYAN_SMTP_URL (`smtp://user:pass@host:587`, or
 * `smtps://…:465` for TLS from the first byte), sending as HONGYAN_SMTP_FROM (or
 * `hongyan@<host>`); undefined when unset, and Payload then only logs what it would send.
 * The same few lines as Payload's @payloadcms/email-nodemailer, which is published a patch
 * behind Payload itself and so fails Payload's version check in every process.
 */
export function smtpEmailAdapter(): EmailAdapter | undefined {
  const value = process.env.HONGYAN_SMTP_URL
  if (!value) return undefined
  const url = parseSmtpUrl(value)
  const isTls = url.protocol === 'smtps:'
  const user = decodeURIComponent(url.username)
  // Connects when the first message goes: a mail server down at start-up is logged then.
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : isTls ? 465 : 587,
    secure: isTls,
    ...(user ? { auth: { user, pass: decodeURIComponent(url.password) } } : {}),
  })
  const defaultFromAddress = process.env.HONGYAN_SMTP_FROM || `hongyan@${url.hostname}`
  const defaultFromName = '鸿雁'
  return () => ({
    name: 'smtp',
    defaultFromAddress,
    defaultFromName,
    sendEmail: (message) =>
      transport.sendMail({
        ...message,
        from: message.from || { name: defaultFromName, address: defaultFromAddress },
      } as nodemailer.SendMailOptions),
  })
}

function parseSmtpUrl(value: string): URL {
  const url = URL.canParse(value) ? new URL(value) : undefined
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
    throw new Error(
      'HONGYAN_SMTP_URL must be smtp://user:password@host:port or smtps://… (see docs/configuration.md)',
    )
  }
  return url
}
