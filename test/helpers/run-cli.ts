import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The compiled CLI, as `npx alipay-mock` would run it. */
export const CLI_PATH = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

/** What a CLI run printed and how it exited. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node dist/src/cli.js …` in a child process. Asynchronous on purpose: the sandbox under test
 * runs in this process and must keep answering while the child waits for it.
 */
export function runCli(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI_PATH, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(new Error(`cannot run the CLI: ${err.message}`, { cause: err }));
        return;
      }
      resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
    });
  });
}
