'use client'
import { useDocumentInfo } from '@payloadcms/ui'
import { useEffect, useState } from 'react'

/** On a saved TV episode: download the TV desk's package (script, prompter text, subtitles, stills). */
export function TvPackageLink() {
  const { id } = useDocumentInfo()
  // Marks the link as hydrated, as the other sidebar boxes do: browser tests click only then.
  const [isHydrated, setIsHydrated] = useState(false)
  useEffect(() => {
    setIsHydrated(true)
  }, [])
  if (!id) return null
  return (
    <div data-tv-package data-hydrated={isHydrated || undefined} style={{ margin: '1rem 0' }}>
      <a className="btn btn--style-primary btn--size-medium" href={`/api/tv-episodes/${id}/package`} download>
        下载节目稿（DOCX · 提词器 · SRT 字幕 · 静帧）
      </a>
    </div>
  )
}
