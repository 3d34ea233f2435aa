import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_PATH } from './run-cli.js';

/** A pino log line of the child sandbox. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

/** `alipay-mock serve` in a child process, to see its logs and its exit as a user would. */
export interface ServeProcess {
  url: string;
  /** The process id (its open descriptors are in /proc/<pid>/fd). */
  pid: number;
  /** Waits (at most timeoutMs) for a log line, already written or still to come, that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  stop(): Promise<void>;
}

/** How a serve process that was expected to fail ended. */
export interface FailedServe {
  code: number | null;
  stderr: string;
}

/** The banner's lines (stdout) as `{banner}` entries, the JSON log lines (stderr) parsed, in arrival order. */
function collect(child: ChildProcess) {
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  const lines = (stream: NodeJS.ReadableStream | null, take: (line: string) => void) => {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        take(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
      for (const w of waiters) w();
    });
  };
  lines(child.stdout, (line) => logs.push({ banner: line }));
  lines(child.stderr, (line) => {
    stderr += `${line}\n`;
    if (line.startsWith('{')) logs.push(JSON.parse(line) as LogLine);
  });
  return { logs, waiters, stderr: () => stderr };
}

/** Starts `serve --port 0 --db sqlite::memory: …args` and waits for its banner. */
export async function startServeProcess(args: readonly string[]): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [CLI_PATH, 'serve', '--port', '0', '--db', 'sqlite::memory:', '--log-level', 'info', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const { logs, waiters, stderr } = collect(child);

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = 5000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const found = logs.find(match);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no such log line within ${timeoutMs} ms; stderr: ${stderr()}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  let started: LogLine;
  try {
    // Generous: a fresh store makes an RSA key pair, slow on a busy machine.
    started = await Promise.race([
      waitForLog(
        (l) => typeof l.banner === 'string' && l.banner.startsWith('alipay-mock listening on'),
        30_000,
      ),
      exited.then((code) => {
        throw new Error(`serve exited with ${code}: ${stderr()}`);
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL'); // never leave a sandbox running behind a failed test
    throw err;
  }
  const url = String(started.banner).replace('alipay-mock listening on ', '').trim();
  return {
    url,
    pid: child.pid ?? 0,
    waitForLog,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs `serve` expecting it not to start: its exit code and stderr. */
export async function failingServe(args: readonly string[]): Promise<FailedServe> {
  const child = spawn(
    process.execPath,
    [CLI_PATH, 'serve', '--port', '0', '--db', 'sqlite::memory:', '--log-level', 'silent', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const { stderr } = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stderr: stderr() };
}
