'use client'
import { useDocumentInfo } from '@payloadcms/ui'
import { useCallback, useEffect, useState } from 'react'
import { deskTime, refusalLine } from './deskFormat.ts'
import { nameOf } from './userName.ts'

type Comment = { id: number; body: string; author?: number | null; createdAt: string }
type Shown = Comment & { authorName: string }

const MAX_LENGTH = 2000

/**
 * 稿件意见: the desk's thread on the story (staff only, never in any outlet), oldest first,
 * and a box to add one. `@显示名` reaches that colleague's inbox.
 */
export function StoryComments() {
  const { id } = useDocumentInfo()
  const [comments, setComments] = useState<Shown[]>([])
  const [body, setBody] = useState('')
  const [error, setError] = useState('')
  const [isBusy, setIsBusy] = useState(false)
  const [isHydrated, setIsHydrated] = useState(false)

  const load = useCallback(async () => {
    if (!id) return
    const response = await fetch(
      `/api/story-comments?where[story][equals]=${id}&sort=createdAt&limit=500&depth=0`,
      { credentials: 'include' },
    )
    if (!response.ok) {
      setError(await refusalLine(response))
      return
    }
    const { docs } = (await response.json()) as { docs: Comment[] }
    setComments(
      await Promise.all(
        docs.map(async (comment) => ({
          ...comment,
          authorName: comment.author ? await nameOf(comment.author) : '（已删除的用户）',
        })),
      ),
    )
  }, [id])

  useEffect(() => {
    setIsHydrated(true)
    void load()
  }, [load])

  if (!id) return null

  const post = async () => {
    setIsBusy(true)
    setError('')
    try {
      const response = await fetch('/api/story-comments', {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ story: id, body }),
      })
      if (!response.ok) {
        setError(await refusalLine(response))
        return
      }
      setBody('')
      await load()
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
    } finally {
      setIsBusy(false)
    }
  }

  return (
    <section
      data-story-comments
      data-hydrated={isHydrated || undefined}
      aria-label="稿件意见"
      style={{ margin: '1.5rem 0' }}
    >
      <h3 style={{ margin: '0 0 0.5rem' }}>稿件意见</h3>
      <p style={{ margin: '0 0 0.75rem', fontSize: '0.85rem' }}>
        仅编辑部可见，不会出现在任何发布渠道。用“@显示名”提醒同事，对方会收到通知。
      </p>
      {comments.length === 0 ? <p style={{ fontSize: '0.85rem' }}>还没有意见。</p> : null}
      <ol style={{ listStyle: 'none', padding: 0, margin: '0 0 1rem', display: 'grid', gap: '0.75rem' }}>
        {comments.map((comment) => (
          <li key={comment.id} data-comment={comment.id}>
            <div style={{ fontSize: '0.85rem', opacity: 0.8 }}>
              <strong data-comment-author>{comment.authorName}</strong> · {deskTime(comment.createdAt)}
            </div>
            <div data-comment-body style={{ whiteSpace: 'pre-wrap' }}>
              {comment.body}
            </div>
          </li>
        ))}
      </ol>
      {/* Not a <form>: the story's fields are inside Payload's own form, and forms do not nest. */}
      <label style={{ display: 'block' }}>
        写意见
        <textarea
          name="commentBody"
          rows={3}
          maxLength={MAX_LENGTH}
          value={body}
          onChange={(event) => setBody(event.target.value)}
          style={{ display: 'block', width: '100%' }}
        />
      </label>
      <button
        type="button"
        className="btn btn--style-primary btn--size-small"
        style={{ margin: '0.5rem 0 0' }}
        disabled={isBusy || !body.trim()}
        onClick={() => void post()}
      >
        发表意见
      </button>
      {error ? (
        <p role="alert" data-comment-error style={{ margin: '0.5rem 0 0', color: '#b42318' }}>
          {error}
        </p>
      ) : null}
    </section>
  )
}
