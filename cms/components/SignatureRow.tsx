'use client'
import { useRowLabel } from '@payloadcms/ui'
import { useEffect, useState } from 'react'
import { type ReviewLevel, reviewLevelLabels } from '../workflow/reviewLevels.ts'
import { deskTime } from './deskFormat.ts'
import { nameOf } from './userName.ts'

type SignatureData = {
  level?: number
  by?: number | { name?: string } | null
  at?: string
  note?: string
  voidedAt?: string
  voidReason?: string
}

/** One signature as a sentence: 复审 · 李主任 · 12月6日 09:14 · 同意 (and 已作废 when voided). */
export function SignatureRow() {
  const { data } = useRowLabel<SignatureData>()
  const by = data?.by
  const [name, setName] = useState<string>(typeof by === 'object' && by ? (by.name ?? '') : '')
  useEffect(() => {
    if (typeof by === 'number') void nameOf(by).then(setName)
  }, [by])
  const level = reviewLevelLabels[data?.level as ReviewLevel]?.zh ?? `第 ${data?.level ?? '?'} 级`
  const voided = data?.voidedAt ? `已作废（${data.voidReason ?? ''}）` : ''
  const parts = [level, name, deskTime(data?.at), data?.note?.trim(), voided].filter(Boolean)
  return <span data-signature>{parts.join(' · ')}</span>
}
