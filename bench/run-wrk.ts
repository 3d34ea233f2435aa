import { execFileSync, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WRK_SCRIPT } from './wrk-script.js';

/** What one wrk run measured. */
export interface WrkResult {
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers that were not HTTP 200 with the expected text, plus socket errors. */
  errors: number;
  /** Requests sent after the list ran out (repeats): a list too short for a scenario that needs new ones. */
  wrapped: number;
  /** CPU time wrk used while sending, in seconds: near `seconds` means wrk, not the server, was the limit. */
  wrkCpuSeconds: number;
  /** Latency in ms at 95.00, 95.01, …, 100 % of the requests (501 values): runs merge by it (merged-p99.ts). */
  tailMs?: readonly number[] | undefined;
}

/** Makes sure `wrk` is on PATH: installs the Debian package with apt-get when it is missing. */
export function ensureWrk(): void {
  if (onPath('wrk')) return;
  process.stdout.write('wrk is missing: installing the Debian package (apt-get install -y wrk)\n');
  execFileSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' });
  if (!onPath('wrk')) throw new Error('wrk is still missing after apt-get install -y wrk');
}

function onPath(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes the script once per run folder; returns its path. */
export async function writeWrkScript(dir: string): Promise<string> {
  const file = join(dir, 'bench.lua');
  await writeFile(file, WRK_SCRIPT);
  return file;
}

/**
 * Runs `wrk -t<threads> -c<connections> -d<seconds>s` pinned to `cpu` (taskset) against `url` with the
 * bench script, sending the paths of `pathsFile` in turn; with `secondUrl`, every second thread goes
 * there instead.
 */
export function runWrk(opts: {
  url: string;
  secondUrl?: string | undefined;
  scriptFile: string;
  pathsFile: string;
  expect: string;
  seconds: number;
  connections: number;
  cpu: string;
}): Promise<WrkResult> {
  const threads = opts.secondUrl === undefined ? 1 : 2;
  const args = ['-c', opts.cpu, 'wrk', `-t${threads}`, `-c${opts.connections}`, `-d${opts.seconds}s`];
  args.push('--timeout', '10s', '-s', opts.scriptFile, opts.url, '--', opts.pathsFile, opts.expect);
  const env = {
    ...process.env,
    WRK_THREADS: String(threads),
    WRK_SECOND_PORT: opts.secondUrl === undefined ? '' : new URL(opts.secondUrl).port,
  };
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '));
      if (code !== 0 || line === undefined) {
        reject(new Error(`wrk exited ${code} without its summary:\n${out.slice(-2000)}`));
        return;
      }
      const json = JSON.parse(line.slice('BENCH_JSON '.length)) as { tailUs?: number[] };
      // Every other field is a number.
      const r = json as unknown as Record<string, number>;
      resolve({
        requests: r['requests'] ?? 0,
        seconds: (r['durationUs'] ?? 0) / 1e6,
        p50Ms: (r['p50Us'] ?? 0) / 1000,
        p99Ms: (r['p99Us'] ?? 0) / 1000,
        errors: (r['bad'] ?? 0) + (r['socketErrors'] ?? 0),
        wrapped: r['wrapped'] ?? 0,
        wrkCpuSeconds: r['wrkCpuSeconds'] ?? 0,
        tailMs: json.tailUs?.map((us) => us / 1000),
      });
    });
  });
}
