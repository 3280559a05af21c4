import { type Stage, stageLabels, stages } from '../workflow/stages.ts'

/** A time as the desk reads it, in Beijing time: `12月6日 09:14`. */
export { deskTime } from '../lib/beijingDays.ts'

/** A stage's Chinese name; the raw value for anything unknown. */
export function stageZh(value: unknown): string {
  const stage = stages.find((candidate) => candidate === value) as Stage | undefined
  return stage ? stageLabels[stage].zh : String(value ?? '')
}

/** The line a failed save or a refused request says why in: the server's own reason. */
export async function refusalLine(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as {
    reasonZh?: string
    reason?: string
    errors?: { message?: string; data?: { errors?: { message?: string }[] } }[]
  }
  if (body.reasonZh) return body.reasonZh
  if (response.status === 423)
    return '稿件正由他人编辑，请待其保存离开后再试（The story is being edited by someone else）'
  const messages = (body.errors ?? []).flatMap((error) =>
    error.data?.errors?.length
      ? error.data.errors.map((inner) => inner.message ?? '')
      : [error.message ?? ''],
  )
  const line = messages.filter(Boolean).join('；')
  return line || body.reason || `操作失败（HTTP ${response.status}）`
}
