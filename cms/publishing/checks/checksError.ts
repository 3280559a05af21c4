import { type PayloadRequest, ValidationError } from 'payload'
import { collectionSlugs } from '../../slugs.ts'
import type { StoryCheck } from './types.ts'

/**
 * A move refused by the pre-publication check: a ValidationError (400 over REST, an error on
 * each field over GraphQL and in the admin) carrying every blocking finding, one error on the
 * field to fix for each, so the job that fires a schedule can tell it from a passing failure.
 */
export class StoryChecksError extends ValidationError {
  readonly checks: StoryCheck[]
  constructor({
    checks,
    req,
    move,
  }: { checks: StoryCheck[]; req?: PayloadRequest; move: { zh: string; en: string } }) {
    super(
      {
        collection: collectionSlugs.stories,
        errors: checks.map((check) => ({
          path: check.field,
          message: `发稿检查未通过，不能${move.zh}：${check.message.zh}（Cannot ${move.en}: ${check.message.en}）`,
        })),
      },
      req?.t,
    )
    this.checks = checks
  }
}
