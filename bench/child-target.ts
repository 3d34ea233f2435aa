import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cpuMicrosOf } from './proc-stat.js';

/** A server running in a child process, as the benchmark sees it. */
export interface ChildTarget {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Several servers behind one target: requests go to each in turn (url is the first). */
  urls?: readonly string[];
  /** The SQLite request log file of a sandbox on SQLite (bench/log-lag.ts watches it). */
  requestLogFolder?: string | undefined;
  /** Every server process of the target (two for a pair of instances). */
  pids: readonly number[];
  /** CPU time (user + system, all threads) the target's processes have used so far, in microseconds. */
  cpuMicros(): number;
  /** The child's memory, in bytes (npm run soak; bench/listen-to-parent.ts). */
  memory?(): Promise<ChildMemory>;
  stop(): Promise<void>;
}

/** A bench child's memory, in bytes. */
export interface ChildMemory {
  rss: number;
  /** The answering thread's committed V8 heap. */
  heapCommitted: number;
  /** The V8 heap in use outside the young generation after its latest full collection; null before the first. */
  keptAfterFullGc: number | null;
}

/** How a child is started. */
export interface ChildOptions {
  /** Write a CPU profile (--cpu-prof) into this folder when the child stops. */
  cpuProfDir?: string | undefined;
  /** More node options, e.g. --max-semi-space-size=16. */
  nodeArgs?: readonly string[];
  /** Pin the child and every thread it starts to these CPUs (`taskset -c`), e.g. "0". */
  cpu?: string | undefined;
}

/**
 * Starts `bench/<script>` (compiled) in a child process and waits for its ready line `{"url": …}`
 * (and `"requestLog": <folder>` from a sandbox on SQLite).
 * With `cpu` the process is started under `taskset`, so it and all its threads (the request log's
 * worker, V8's helpers) share the CPUs named, away from the load generator.
 */
export async function startChildTarget(
  script: string,
  args: readonly string[],
  options: ChildOptions = {},
): Promise<ChildTarget> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const nodeArgs = [
    ...(options.nodeArgs ?? []),
    ...(options.cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`]),
  ];
  const command = [process.execPath, ...nodeArgs, file, ...args];
  // taskset execs node in place: the child's pid is the server's.
  const pinned = options.cpu === undefined ? command : ['taskset', '-c', options.cpu, ...command];
  const child = spawn(pinned[0] ?? '', pinned.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout });
  const { url, requestLog } = await nextJsonLine<{ url: string; requestLog?: string }>(
    lines,
    child,
    () => stderr,
  );
  return {
    url,
    requestLogFolder: requestLog,
    pids: [child.pid ?? 0],
    cpuMicros: () => cpuMicrosOf(child.pid ?? 0),
    memory: async () => {
      const answer = nextJsonLine<ChildMemory>(lines, child, () => stderr);
      child.stdin?.write('mem\n');
      return answer;
    },
    stop: () => stopChild(child),
  };
}

function nextJsonLine<T>(lines: Interface, child: ChildProcess, stderr: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`bench child exited (${code}) before it answered:\n${stderr()}`));
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`bench child said "${line}" instead of a JSON line`));
      }
    });
  });
}

/** Closing stdin asks the child to stop cleanly (it then writes its CPU profile); SIGKILL after 10 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      process.stderr.write(`bench child ${child.pid} did not stop within 10 s: killed (no CPU profile)\n`);
      child.kill('SIGKILL');
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin?.end();
  });
}
