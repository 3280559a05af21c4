import type { Payload } from 'payload'
import { formatDuration } from '../lib/duration.ts'
import { type BackupSettings, backupSettings } from '../ops/backup/backupSettings.ts'
import type { BackupRun } from '../payload-types.ts'
import { collectionSlugs } from '../slugs.ts'
import { DEFAULT_TIME_ZONE } from '../workflow/zonedTime.ts'

type Tone = 'ok' | 'warning' | 'alarm'
type Language = 'zh' | 'en'

/**
 * Above the admin dashboard, for editors and admins: the newest scheduled backup (最近备份 …
 * 已验证), or the alarm when its verification failed or no archive was written, or a warning
 * when backups are off, overdue or have never run. Read from the backup runs the worker records.
 */
export async function BackupStatus({
  payload,
  user,
  i18n,
}: {
  payload: Payload
  user?: { role?: unknown } | null
  i18n?: { language?: string }
}) {
  if (user?.role !== 'admin' && user?.role !== 'editor') return null
  const { docs } = await payload.find({
    collection: collectionSlugs.backupRuns,
    sort: '-madeAt',
    limit: 1,
    depth: 0,
  })
  const { tone, text } = describeBackupStatus({
    run: docs[0],
    settings: readSettings(),
    now: new Date(),
    language: i18n?.language === 'en' ? 'en' : 'zh',
  })
  const colours = TONES[tone]
  return (
    <div
      role={tone === 'alarm' ? 'alert' : 'status'}
      data-backup-status={tone}
      style={{
        margin: '0 0 1.5rem',
        padding: '0.75rem 1rem',
        borderRadius: 4,
        border: `1px solid ${colours.border}`,
        background: colours.background,
      }}
    >
      {text}{' '}
      <a href={`/admin/collections/${collectionSlugs.backupRuns}`}>
        {i18n?.language === 'en' ? 'Backup runs' : '备份记录'}
      </a>
    </div>
  )
}

/** The banner's words for the newest run (undefined: none yet) under these settings. */
export function describeBackupStatus({
  run,
  settings,
  now,
  language,
}: {
  run: BackupRun | undefined
  settings: BackupSettings | Error
  now: Date
  language: Language
}): { tone: Tone; text: string } {
  const say = (zh: string, en: string) => (language === 'en' ? en : zh)
  const madeAt = run ? formatTime({ at: run.madeAt, language }) : ''
  if (run?.status === 'failed') {
    return {
      tone: 'alarm',
      text: say(
        `备份验证失败：${run.archive}（${madeAt}）无法还原为原数据：${run.reason ?? ''}`,
        `Backup verification failed: ${run.archive} (${madeAt}) does not restore to the data it was taken from: ${run.reason ?? ''}`,
      ),
    }
  }
  if (run?.status === 'not-written') {
    return {
      tone: 'alarm',
      text: say(
        `备份失败（${madeAt}）：${run.reason ?? ''}`,
        `The backup of ${madeAt} failed: ${run.reason ?? ''}`,
      ),
    }
  }
  if (settings instanceof Error) {
    return {
      tone: 'alarm',
      text: say(`备份设置有误：${settings.message}`, `Backup settings: ${settings.message}`),
    }
  }
  if (settings.everyMs === undefined) {
    return {
      tone: 'warning',
      text: say(
        '定时备份已关闭（HONGYAN_BACKUP_EVERY=off）。',
        'Scheduled backups are off (HONGYAN_BACKUP_EVERY=off).',
      ),
    }
  }
  if (!run) return { tone: 'warning', text: say('尚无定时备份。', 'No scheduled backup has run yet.') }
  const size = formatBytes({ bytes: run.bytes ?? 0 })
  const verified = say(
    `最近备份 ${madeAt} · ${size} · 已验证`,
    `Latest backup ${madeAt} · ${size} · verified`,
  )
  // Twice the interval without a new one: no worker is taking them.
  if (now.getTime() - new Date(run.madeAt).getTime() > 2 * settings.everyMs) {
    const every = formatDuration({ ms: settings.everyMs })
    return {
      tone: 'warning',
      text: say(
        `${verified}；已逾期（应每 ${every} 备份一次）。`,
        `${verified}; overdue (due every ${every}).`,
      ),
    }
  }
  return { tone: 'ok', text: say(`${verified}。`, `${verified}.`) }
}

const TONES: Record<Tone, { border: string; background: string }> = {
  ok: { border: 'var(--theme-success-500)', background: 'var(--theme-success-50)' },
  warning: { border: 'var(--theme-warning-500)', background: 'var(--theme-warning-50)' },
  alarm: { border: 'var(--theme-error-500)', background: 'var(--theme-error-50)' },
}

function readSettings(): BackupSettings | Error {
  try {
    return backupSettings()
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err))
  }
}

function formatTime({ at, language }: { at: string; language: Language }): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: DEFAULT_TIME_ZONE,
  }).format(new Date(at))
}

function formatBytes({ bytes }: { bytes: number }): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`
}
