import { createInterface } from 'node:readline';

/**
 * The bench child's side of its stdin/stdout protocol: a `mem` line is answered with its memory.
 * End of stdin (the parent closed it, or died) runs `stop`, so a child never outlives the benchmark,
 * and the normal exit lets --cpu-prof write its profile.
 */
export function listenToParent(stop: () => Promise<void>): void {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() !== 'mem') return;
    // `mem` (npm run soak): resident size and V8 heap in use, in bytes; with --expose-gc the heap is
    // measured after a full collection, so it shows what is kept rather than garbage not yet collected.
    // heapCommitted is the answering thread's V8 heap as the server ran, read before that collection:
    // the memory V8 holds for it, live or not, which is part of the resident size.
    const heapCommitted = process.memoryUsage().heapTotal;
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.stdout.write(`${JSON.stringify({ rss, heapUsed, heapCommitted })}\n`);
  });
  lines.once('close', () => {
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`${String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
