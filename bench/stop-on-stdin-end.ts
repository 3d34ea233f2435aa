/**
 * Runs `stop` when the parent closes our stdin, or dies (which closes it too), so a bench child never
 * outlives the benchmark. A normal exit also lets --cpu-prof write its profile.
 */
export function stopOnStdinEnd(stop: () => Promise<void>): void {
  process.stdin.resume();
  process.stdin.once('end', () => {
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`${String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
