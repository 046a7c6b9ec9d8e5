/**
 * Resolves after a whole turn of the event loop: timers, then I/O (a request waiting), have run.
 * One `setImmediate` is not enough: called from an I/O callback (the poll phase), it runs in the
 * same turn's check phase, before any timer or other I/O; the second one runs in the next turn's.
 */
export function eventLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
