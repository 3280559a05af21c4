import type { BodyParts } from '../../channels/checks/bodyParts.ts'
import type { StoryCheck } from './types.ts'

/** A story with no words in its body may not go out (an image alone is not a story). */
export function checkBody({ parts }: { parts: BodyParts }): StoryCheck[] {
  if (parts.text.trim() !== '') return []
  return [
    {
      code: 'body_empty',
      severity: 'block',
      field: 'body',
      message: { zh: '正文为空：请先写正文', en: 'The body is empty: write the story first' },
    },
  ]
}
