import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A server running in a child process, as the benchmark sees it. */
export interface ChildTarget {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  pid: number;
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
): Promise<ChildTarget> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const nodeArgs = cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`];
  const child = spawn(process.execPath, [...nodeArgs, file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const url = await readyUrl(child, () => stderr);
  return {
    url,
    pid: child.pid ?? 0,
    stop: () => stopChild(child),
  };
}

function readyUrl(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) =>
      reject(new Error(`bench child exited (${code}) before it was ready:\n${stderr()}`));
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        reject(new Error(`bench child said "${line}" instead of its ready line`));
      }
    });
  });
}

/** Closing stdin asks the child to stop cleanly (it then writes its CPU profile); SIGKILL after 10 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin?.end();
  });
}
