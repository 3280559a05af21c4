import path from 'node:path'
import { defineConfig } from 'vitest/config'

const root = path.resolve(import.meta.dirname, '..')

export default defineConfig({
  root,
  resolve: { tsconfigPaths: true },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/postgresServer.ts'],
    setupFiles: ['tests/setup/folders.ts'],
    pool: 'forks',
    // Each integration file boots Payload (~0.5 GB); two at a time suits a 2-core machine.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // What a test waits for to show (a page updating as an editor types, a push answered, a
    // job run) gets up to 30 s on a loaded 2-core machine, not vitest's 1 s; a poll still
    // passes the moment its condition holds, and fails if it never does.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    // What a test prints (its steps, a server's log) is shown only for the tests that fail.
    silent: 'passed-only',
  },
})
