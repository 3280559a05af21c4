'use client'
import { useDocumentInfo } from '@payloadcms/ui'

/** On a saved column issue: download the print package, or force it past the budget. */
export function ColumnPackageLink() {
  const { id } = useDocumentInfo()
  if (!id) return null
  const href = `/api/column-issues/${id}/package`
  return (
    <div style={{ margin: '1rem 0', display: 'flex', gap: '1.5rem', alignItems: 'baseline' }}>
      <a className="btn btn--style-primary btn--size-medium" href={href} download>
        下载排版包（ICML · NITF · DOCX · 图片）
      </a>
      <a href={`${href}?force=1`} download>
        超字数仍强制导出（将记录超出字数）
      </a>
    </div>
  )
}
