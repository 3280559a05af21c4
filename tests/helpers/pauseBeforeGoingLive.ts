/**
 * A site build's `beforeGoingLive` that holds the build, its pages written and not yet live,
 * until the process is killed: the crash tests (tests/security/crashes.test.ts) kill it here,
 * at the worst moment. The line it prints tells the test the moment has come.
 */
export async function pauseBeforeGoingLive(): Promise<never> {
  console.log('site build: paused before going live')
  return new Promise(() => setInterval(() => undefined, 60_000))
}
