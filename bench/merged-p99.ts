/** What merging needs of one wrk run: its request count and its latency tail (WrkResult.tailMs). */
export interface RunTail {
  requests: number;
  /** Latency in ms at 95.00, 95.01, …, 100 % of the run's requests (501 values). */
  tailMs: readonly number[];
}

/** The share of a run's requests at or below `x` ms by its tail: a lower bound (0 below its 95 %). */
function shareAtOrBelow(tailMs: readonly number[], x: number): number {
  let last = -1;
  for (let i = 0; i < tailMs.length && (tailMs[i] as number) <= x; i++) last = i;
  return last < 0 ? 0 : (95 + last / 100) / 100;
}

/**
 * The 99th percentile of several runs' requests taken together: the smallest latency of their tails
 * at or below which 99 % of all requests are, each run counted by its requests. Each run's share is
 * read off its tail to the hundredth of a per cent, rounded down, so the result is never below the
 * true one; it is at most the largest of the runs' own p99 (at that latency every run has 99 % of its
 * requests). Undefined when there is no run.
 */
export function mergedP99(runs: readonly RunTail[]): number | undefined {
  if (runs.length === 0) return undefined;
  const total = runs.reduce((n, r) => n + r.requests, 0);
  const candidates = [...new Set(runs.flatMap((r) => r.tailMs))].sort((a, b) => a - b);
  for (const x of candidates) {
    const covered = runs.reduce((n, r) => n + r.requests * shareAtOrBelow(r.tailMs, x), 0);
    if (covered >= 0.99 * total) return x;
  }
  return candidates.at(-1);
}
