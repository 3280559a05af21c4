/** A site build that cannot go on: a bad site address, a story gone mid-build, Pagefind failing. */
export class SiteBuildError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SiteBuildError'
  }
}
