const MINIMUM_NODE = [22, 12] as const

/**
 * Runs a script's main function: on failure, one readable line on stderr and exit 1
 * (the full stack only with HONGYAN_DEBUG=1).
 */
export function runCli(main: () => Promise<void>): void {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  if (major < MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor < MINIMUM_NODE[1])) {
    fail(
      `Hongyan needs Node ${MINIMUM_NODE.join('.')} or newer, this is ${process.versions.node}: see README, "Node"`,
    )
    return
  }
  main().then(() => process.exit(0), fail)
}

function fail(err: unknown): void {
  const { message, code } = err as { message?: string; code?: string }
  const line = (message || code || String(err)).split('\n')[0]
  console.error(`hongyan: ${line}`)
  if (process.env.HONGYAN_DEBUG === '1') console.error(err)
  process.exit(1)
}
