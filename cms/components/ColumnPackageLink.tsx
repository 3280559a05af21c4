'use client'
import { useDocumentInfo } from '@payloadcms/ui'
import { useEffect, useState } from 'react'

/** On a saved column issue: download the print package, or force it past the budget. */
export function ColumnPackageLink() {
  const { id } = useDocumentInfo()
  // Marks the links as hydrated, as the other sidebar boxes do: browser tests click only then.
  const [isHydrated, setIsHydrated] = useState(false)
  useEffect(() => {
    setIsHydrated(true)
  }, [])
  if (!id) return null
  const href = `/api/column-issues/${id}/package`
  return (
    <div
      data-column-package
      data-hydrated={isHydrated || undefined}
      style={{ margin: '1rem 0', display: 'flex', gap: '1.5rem', alignItems: 'baseline' }}
    >
      <a className="btn btn--style-primary btn--size-medium" href={href} download>
        下载排版包（ICML · NITF · DOCX · 图片）
      </a>
      <a href={`${href}?force=1`} download>
        超字数仍强制导出（将记录超出字数）
      </a>
    </div>
  )
}
