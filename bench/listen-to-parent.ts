import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { getHeapSpaceStatistics } from 'node:v8';

/** The young generation's spaces: what is in them after a full collection is not yet sorted out. */
const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);

/**
 * The V8 heap in use outside the young generation after the latest full (mark-compact) collection V8
 * chose to run: what the server keeps. Read when Node reports the collection, a moment after it.
 */
function watchFullCollections(): () => number | null {
  let kept: number | null = null;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
      if (detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      kept = 0;
      for (const space of getHeapSpaceStatistics())
        if (!YOUNG_SPACES.has(space.space_name)) kept += space.space_used_size;
    }
  }).observe({ entryTypes: ['gc'] });
  return () => kept;
}

/**
 * The bench child's side of its stdin/stdout protocol: a `mem` line is answered with its memory.
 * End of stdin (the parent closed it, or died) runs `stop`, so a child never outlives the benchmark,
 * and the normal exit lets --cpu-prof write its profile.
 */
export function listenToParent(stop: () => Promise<void>): void {
  const keptAfterFullGc = watchFullCollections();
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() !== 'mem') return;
    // `mem` (npm run soak): resident size, the answering thread's committed V8 heap (what V8 holds for
    // it, live or not) and what its latest full collection kept, in bytes. No collection is forced: a
    // forced one resets V8's heap limits and so changes the resident size being measured
    // (docs/performance.md, Soak).
    const { rss, heapTotal } = process.memoryUsage();
    process.stdout.write(
      `${JSON.stringify({ rss, heapCommitted: heapTotal, keptAfterFullGc: keptAfterFullGc() })}\n`,
    );
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
