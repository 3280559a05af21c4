import { childrenOf, type LexicalNode } from '../lexical/nodes.ts'

/**
 * The media ids of a body's images, in reading order, each once: whether the editor holds an
 * upload as its id or a read at depth holds the media document.
 */
export function bodyMediaIds({ body }: { body: unknown }): number[] {
  const root = typeof body === 'object' && body !== null ? (body as { root?: unknown }).root : null
  if (typeof root !== 'object' || root === null) return []
  const ids = new Set<number>()
  const visit = (node: LexicalNode) => {
    if (node.type === 'upload') {
      const value = node.value
      const id = Number(typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : value)
      if (Number.isInteger(id) && id > 0) ids.add(id)
    }
    childrenOf(node).forEach(visit)
  }
  visit(root as LexicalNode)
  return [...ids]
}
