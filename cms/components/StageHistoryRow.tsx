'use client'
import { useRowLabel } from '@payloadcms/ui'
import { useEffect, useState } from 'react'
import { deskTime, stageZh } from './deskFormat.ts'
import { nameOf } from './userName.ts'

type StageChange = {
  from?: string
  to?: string
  by?: number | { name?: string } | null
  at?: string
  note?: string
}

/** One stage history entry as a sentence: 草稿 → 待审 · 王晓燕 · 12月6日 09:14 · reason. */
export function StageHistoryRow() {
  const { data } = useRowLabel<StageChange>()
  const by = data?.by
  const [name, setName] = useState<string>(
    by === null || by === undefined ? '定时任务' : typeof by === 'object' ? (by.name ?? '') : '',
  )
  useEffect(() => {
    if (typeof by === 'number') void nameOf(by).then(setName)
  }, [by])
  const move =
    data?.from === data?.to && data?.to === 'draft'
      ? '新建草稿'
      : `${stageZh(data?.from)} → ${stageZh(data?.to)}`
  const parts = [move, name, deskTime(data?.at), data?.note?.trim()].filter(Boolean)
  return <span data-stage-change>{parts.join(' · ')}</span>
}
