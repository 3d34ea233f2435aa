import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK, 100 on Linux). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * CPU time (user + system) a process has used so far, all its threads included, in microseconds, from
 * /proc/<pid>/stat: the server's own account, independent of anything the process reports itself.
 */
export function cpuMicrosOf(pid: number): number {
  return cpuMicrosIn(`/proc/${pid}/stat`);
}

/** user + system time in a /proc `stat` file (of a process or of one of its threads), in microseconds. */
function cpuMicrosIn(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  // Fields after the command name (which may hold spaces) start at state, field 3; utime and stime are 14, 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / TICKS_PER_SECOND;
}

/**
 * CPU time so far of the processes' threads by thread name (/proc/<pid>/task/<tid>/comm), summed over
 * the processes, in microseconds: `MainThread` answers requests, a worker started with a `name` (Node
 * 22.20+/24 name its thread so) shows as that name, V8's and libuv's helpers as theirs. A thread that
 * has ended is no longer listed, so only differences between two reads of long-lived threads mean much.
 */
export function cpuMicrosByThread(pids: readonly number[]): Map<string, number> {
  const byName = new Map<string, number>();
  for (const pid of pids) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        const micros = cpuMicrosIn(`/proc/${pid}/task/${tid}/stat`);
        byName.set(name, (byName.get(name) ?? 0) + micros);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  }
  return byName;
}

/** The host's 1-minute load average (/proc/loadavg): how busy the shared machine was around a run. */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** One CPU's clock ticks so far, /proc/stat's `cpu<n>` line: user, nice, system, idle, iowait, irq, softirq, steal. */
function cpuLineTicks(cpu: number): number[] {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`cpu${cpu} `));
  if (line === undefined) throw new Error(`/proc/stat has no cpu${cpu}`);
  return line.trim().split(/\s+/).slice(1, 9).map(Number);
}

/** Busy and total clock ticks of one CPU so far; idle and iowait are not busy. */
function cpuTicks(cpu: number): { busy: number; total: number } {
  const ticks = cpuLineTicks(cpu);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total };
}

/** What one CPU has run so far, in microseconds: processes (user, nice, system), and all of its time. */
export interface CoreTimes {
  processMicros: number;
  totalMicros: number;
}

/**
 * The CPU's times so far (/proc/stat's `cpu<n>` line): user + nice + system, the time of processes,
 * without interrupts and softirqs (the loopback's packets, which are no process's), and the total.
 */
export function coreTimes(cpu: number): CoreTimes {
  const ticks = cpuLineTicks(cpu);
  const micros = (n: number | undefined) => ((n ?? 0) * 1_000_000) / TICKS_PER_SECOND;
  return {
    processMicros: micros(ticks[0]) + micros(ticks[1]) + micros(ticks[2]),
    totalMicros: micros(ticks.reduce((a, b) => a + b, 0)),
  };
}

/** What one CPU ran between two coreTimes reads. */
export function coreTimesBetween(before: CoreTimes, after: CoreTimes): CoreTimes {
  return {
    processMicros: after.processMicros - before.processMicros,
    totalMicros: after.totalMicros - before.totalMicros,
  };
}

/**
 * The share of a span of the server's core (coreTimesBetween, or several such spans added up) that
 * processes other than the server used, given the server's own CPU time over it (all of it pinned to
 * that CPU): another process on the server's core takes its CPU while the scenario is measured. Ticks
 * are 10 ms, so a few per cent of a 2-second slice is rounding; negative values (the server's time
 * read a moment apart) are 0.
 */
export function otherShare(span: CoreTimes, serverMicros: number): number {
  if (span.totalMicros <= 0) return 0;
  return Math.max(0, (span.processMicros - serverMicros) / span.totalMicros);
}

/**
 * Waits until `cpu` is at most `maxBusy` busy over a half-second, for up to `limitMs`; returns how
 * long it waited and whether the CPU got quiet. Work left behind by a scenario (PostgreSQL's
 * background writers after thousands of pays, unpinned) otherwise runs on the server's core during
 * the next measurement and takes its CPU.
 */
export async function waitForQuietCpu(
  cpu: number,
  maxBusy = 0.1,
  limitMs = 30_000,
): Promise<{ waitedMs: number; quiet: boolean }> {
  const started = Date.now();
  for (;;) {
    const before = cpuTicks(cpu);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = cpuTicks(cpu);
    const busy = (after.busy - before.busy) / Math.max(1, after.total - before.total);
    const waitedMs = Date.now() - started;
    if (busy <= maxBusy) return { waitedMs, quiet: true };
    if (waitedMs >= limitMs) return { waitedMs, quiet: false };
  }
}

/**
 * Threads the split names on their own: the answering thread, the request log's worker, and V8's
 * helpers (`V8Worker`: concurrent and parallel garbage collection, background compilation); the rest
 * (libuv's helpers, the checkpoint thread) are "other".
 */
const NAMED_THREADS = ['MainThread', 'request-log', 'V8Worker'];

/** CPU time each thread name used between two reads of cpuMicrosByThread, in microseconds. */
export function threadMicrosUsed(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): Map<string, number> {
  return new Map([...after].map(([name, micros]) => [name, micros - (before.get(name) ?? 0)]));
}

/**
 * The CPU per request of what each thread used (threadMicrosUsed), as "MainThread 70, request-log 22,
 * V8Worker 4, other 2": where a request's server CPU goes between the answering thread, the request
 * log's worker and the garbage collector's helpers.
 */
export function formatThreadSplit(used: ReadonlyMap<string, number>, requests: number): string {
  const perRequest = new Map<string, number>();
  for (const [name, micros] of used) {
    const key = NAMED_THREADS.includes(name) ? name : 'other';
    perRequest.set(key, (perRequest.get(key) ?? 0) + micros / Math.max(1, requests));
  }
  return [...NAMED_THREADS, 'other']
    .filter((name) => perRequest.has(name))
    .map((name) => `${name} ${(perRequest.get(name) ?? 0).toFixed(0)}`)
    .join(', ');
}
