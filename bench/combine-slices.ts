import type { LogLag } from './log-lag.js';
import type { WrkResult } from './run-wrk.js';
import { otherShare, type CoreTimes } from './proc-stat.js';
import { mergedP99 } from './merged-p99.js';

/** What one measured slice of a scenario saw: its wrk run and the server's and its core's times over it. */
export interface SliceMeasure {
  wrk: WrkResult;
  /** Server CPU time over the slice, all its processes and threads, in microseconds. */
  serverMicros: number;
  /** The same by thread name (cpuMicrosByThread's names), used over the slice. */
  threadMicros: ReadonlyMap<string, number>;
  /** The server core's process time and total time over the slice (coreTimes); absent where not counted. */
  core?: CoreTimes | undefined;
  logLag?: LogLag | undefined;
  /** The host's 1-minute load average at the slice's start and end. */
  load: [number, number];
}

/** A scenario's slices of one round taken together: a slice's figures, with the core's as a share. */
export interface CombinedSlices extends Omit<SliceMeasure, 'threadMicros' | 'core'> {
  threadMicros: Map<string, number>;
  /** Share of the server's core other processes used over all slices (otherShare of the sums). */
  others?: number | undefined;
}

/**
 * Adds up a scenario's slices (run.ts interleaves every scenario's slices within a round): requests,
 * seconds, errors and CPU times are sums, so the rate and the CPU per request are those of all the
 * slices together. The p99 is that of all the slices' requests, merged from their tails (merged-p99.ts);
 * the p50, which no target reads, is the largest of the slices' (an upper bound of the round's own).
 * The log's lag keeps the slices' worst.
 */
export function combineSlices(slices: readonly SliceMeasure[]): CombinedSlices {
  const first = slices[0];
  const last = slices.at(-1);
  if (first === undefined || last === undefined) throw new Error('no slice to combine');
  const sum = (f: (s: SliceMeasure) => number) => slices.reduce((total, s) => total + f(s), 0);
  const most = (f: (s: SliceMeasure) => number) => Math.max(...slices.map(f));
  const threadMicros = new Map<string, number>();
  for (const s of slices)
    for (const [name, micros] of s.threadMicros)
      threadMicros.set(name, (threadMicros.get(name) ?? 0) + micros);
  const lags = slices.flatMap((s) => (s.logLag === undefined ? [] : [s.logLag]));
  const serverMicros = sum((s) => s.serverMicros);
  const counted = slices.every((s) => s.core !== undefined);
  return {
    wrk: {
      requests: sum((s) => s.wrk.requests),
      seconds: sum((s) => s.wrk.seconds),
      p50Ms: most((s) => s.wrk.p50Ms),
      p99Ms: p99Of(slices),
      errors: sum((s) => s.wrk.errors),
      wrapped: sum((s) => s.wrk.wrapped),
      wrkCpuSeconds: sum((s) => s.wrk.wrkCpuSeconds),
    },
    serverMicros,
    threadMicros,
    others: counted
      ? otherShare(
          {
            processMicros: sum((s) => s.core?.processMicros ?? 0),
            totalMicros: sum((s) => s.core?.totalMicros ?? 0),
          },
          serverMicros,
        )
      : undefined,
    logLag:
      lags.length === 0
        ? undefined
        : {
            p99Ms: Math.max(...lags.map((l) => l.p99Ms)),
            maxMs: Math.max(...lags.map((l) => l.maxMs)),
            polls: lags.reduce((n, l) => n + l.polls, 0),
          },
    load: [first.load[0], last.load[1]],
  };
}

/** The slices' p99 merged from their tails; when a slice has none, the largest of their p99 (an upper bound). */
function p99Of(slices: readonly SliceMeasure[]): number {
  const tails = slices.flatMap((s) =>
    s.wrk.tailMs === undefined ? [] : [{ requests: s.wrk.requests, tailMs: s.wrk.tailMs }],
  );
  const merged = tails.length === slices.length ? mergedP99(tails) : undefined;
  return merged ?? Math.max(...slices.map((s) => s.wrk.p99Ms));
}
