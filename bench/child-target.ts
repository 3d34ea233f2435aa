import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A server running in a child process, as the benchmark sees it. */
export interface ChildTarget {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Several servers behind one target: requests go to each in turn (url is the first). */
  urls?: readonly string[];
  pid: number;
  /** CPU time (user + system) the child has used so far, in microseconds. */
  cpuMicros(): Promise<number>;
  /**
   * The child's resident set and V8 heap in use, in bytes; the heap after a full collection when the
   * child runs with --expose-gc (npm run soak).
   */
  memory?(): Promise<{ rss: number; heapUsed: number }>;
  stop(): Promise<void>;
}

/**
 * Starts `bench/<script>` (compiled) in a child process and waits for its ready line `{"url": …}`.
 * The server gets a core of its own instead of sharing the event loop with the load generator.
 * With cpuProfDir the child runs under --cpu-prof and writes its profile when stopped.
 */
export async function startChildTarget(
  script: string,
  args: readonly string[],
  cpuProfDir: string | undefined,
  extraNodeArgs: readonly string[] = [],
): Promise<ChildTarget> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const nodeArgs = [
    ...extraNodeArgs,
    ...(cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`]),
  ];
  const child = spawn(process.execPath, [...nodeArgs, file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout });
  const { url } = await nextJsonLine<{ url: string }>(lines, child, () => stderr);
  return {
    url,
    pid: child.pid ?? 0,
    cpuMicros: async () => {
      const answer = nextJsonLine<{ cpuMicros: number }>(lines, child, () => stderr);
      child.stdin?.write('cpu\n');
      return (await answer).cpuMicros;
    },
    memory: async () => {
      const answer = nextJsonLine<{ rss: number; heapUsed: number }>(lines, child, () => stderr);
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
