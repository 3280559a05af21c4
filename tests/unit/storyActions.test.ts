import { describe, expect, it } from 'vitest'
import { actionsFor, isSendBack } from '../../cms/workflow/actions.ts'
import { authorIdsOf, refuseSignature } from '../../cms/workflow/reviewLevels.ts'
import { refuseTransition, stages } from '../../cms/workflow/stages.ts'

const labels = (args: Parameters<typeof actionsFor>[0]) => actionsFor(args).map((action) => action.label.zh)

describe('the action bar', () => {
  it('gives the reporter only what a reporter may do with their own story', () => {
    expect(labels({ stage: 'draft', role: 'reporter', isAuthor: true })).toEqual(['提交审核'])
    expect(labels({ stage: 'in_review', role: 'reporter', isAuthor: true })).toEqual(['撤回'])
    for (const stage of stages) {
      const shown = labels({ stage, role: 'reporter', isAuthor: true })
      expect(shown).not.toContain('审核通过')
      expect(shown).not.toContain('发布')
      expect(labels({ stage, role: 'reporter', isAuthor: false })).toEqual([])
    }
  })

  it('gives an editor the desk’s buttons at each stage', () => {
    const editor = (stage: (typeof stages)[number]) => labels({ stage, role: 'editor', isAuthor: false })
    expect(editor('in_review')).toEqual(['退回修改', '审核通过'])
    expect(editor('approved')).toEqual(['退回修改', '发布', '定时发布'])
    expect(editor('scheduled')).toEqual(['发布', '取消定时'])
    expect(editor('published')).toEqual(['更正', '撤稿'])
    expect(editor('corrected')).toEqual(['更正', '撤稿'])
    expect(editor('withdrawn')).toEqual(['重新编辑'])
  })

  it('shows only moves the server’s table allows, for every stage and role', () => {
    for (const stage of stages) {
      for (const role of ['reporter', 'editor', 'admin'] as const) {
        for (const action of actionsFor({ stage, role, isAuthor: true })) {
          expect(refuseTransition({ from: stage, to: action.to, role })).toBeUndefined()
        }
      }
    }
  })

  it('counts a move to draft by someone else as a send-back, which needs a reason', () => {
    expect(isSendBack({ from: 'in_review', to: 'draft', isAuthor: false })).toBe(true)
    expect(isSendBack({ from: 'in_review', to: 'draft', isAuthor: true })).toBe(false)
    expect(isSendBack({ from: 'withdrawn', to: 'draft', isAuthor: false })).toBe(false)
  })

  it('names the approval after the review level waiting, and shows it only to who may sign it', () => {
    const at = '2026-12-06T01:00:00.000Z'
    const review = (levels: 1 | 2 | 3, signers: number[], userId: number, authorIds: string[] = ['99']) => ({
      levels,
      userId,
      authorIds,
      signatures: signers.map((by, index) => ({ level: index + 1, by, at })),
    })
    const approve = (role: 'editor' | 'deskHead' | 'chief' | 'admin', state: ReturnType<typeof review>) =>
      actionsFor({ stage: 'in_review', role, isAuthor: false, review: state })
        .filter((action) => action.key === 'approve')
        .map((action) => action.label.zh)
    expect(approve('editor', review(1, [], 7))).toEqual(['审核通过'])
    expect(approve('editor', review(3, [], 7))).toEqual(['初审通过'])
    // 复审 is for a desk head or the chief editor; 签发 for the chief editor alone.
    expect(approve('editor', review(3, [1], 7))).toEqual([])
    expect(approve('deskHead', review(3, [1], 7))).toEqual(['复审通过'])
    expect(approve('deskHead', review(3, [1, 2], 7))).toEqual([])
    expect(approve('admin', review(3, [1, 2], 7))).toEqual([])
    expect(approve('chief', review(3, [1, 2], 7))).toEqual(['签发'])
    // Whoever signed one level is not offered the next.
    expect(approve('chief', review(3, [1, 7], 7))).toEqual([])
    expect(approve('deskHead', review(2, [7], 7))).toEqual([])
    // Nobody signs the 初审 or 复审 of a story they wrote; the chief editor signs off their own.
    expect(approve('editor', review(1, [], 7, ['7']))).toEqual([])
    expect(approve('editor', review(3, [], 7, ['3', '7']))).toEqual([])
    expect(approve('deskHead', review(3, [1], 7, ['7']))).toEqual([])
    expect(approve('chief', review(3, [1, 2], 7, ['7']))).toEqual(['签发'])
  })

  it('tells an author why they may not review their own story, and who wrote it as review sees it', () => {
    const story = { createdBy: { id: 4 }, byline: { authors: [5, { id: 6 }, 4] } }
    expect(authorIdsOf(story)).toEqual(['4', '5', '6'])
    expect(authorIdsOf({ createdBy: null, byline: null })).toEqual([])
    const refusal = (userId: number, signatures: { level: number; by: number; at: string }[] = []) =>
      refuseSignature({ signatures, levels: 2, role: 'deskHead', userId, authorIds: authorIdsOf(story) })
    expect(refusal(5)).toBe(
      '作者不能审核自己的稿件，须由他人初审（An author may not sign the first review of their own story）',
    )
    expect(refusal(6, [{ level: 1, by: 8, at: '2026-12-06T01:00:00.000Z' }])).toContain('须由他人复审')
    expect(refusal(8)).toBeUndefined()
  })
})
