declare namespace App {
  interface Locals {
    /** The data the page renders (`PageData` in lib/pages.ts), handed over by the site build. */
    page?: unknown
  }
}
