'use client'
import { useDocumentInfo } from '@payloadcms/ui'

/** On a saved TV episode: download the TV desk's package (script, prompter text, subtitles, stills). */
export function TvPackageLink() {
  const { id } = useDocumentInfo()
  if (!id) return null
  return (
    <div style={{ margin: '1rem 0' }}>
      <a className="btn btn--style-primary btn--size-medium" href={`/api/tv-episodes/${id}/package`} download>
        下载节目稿（DOCX · 提词器 · SRT 字幕 · 静帧）
      </a>
    </div>
  )
}
