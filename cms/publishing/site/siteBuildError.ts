/** A site build that cannot go on: a bad site address, a story gone mid-build, Pagefind failing, the database gone. */
export class SiteBuildError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'SiteBuildError'
  }
}
