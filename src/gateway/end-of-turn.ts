let turnEnd: Promise<void> | undefined;

/**
 * Resolves once the event loop has taken every request that was ready this turn: one setImmediate
 * shared by all the answers of the turn, so they leave together.
 */
export function endOfTurn(): Promise<void> {
  turnEnd ??= new Promise((resolve) =>
    setImmediate(() => {
      turnEnd = undefined;
      resolve();
    }),
  );
  return turnEnd;
}
