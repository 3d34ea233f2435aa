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
 * runs in this process and must keep answering while the child waits for it. `env` adds to (or
 * overrides) this process's environment.
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  // The developer's own ALIPAY_MOCK_GATEWAY must not steer a test; a test that wants one passes it.
  const { ALIPAY_MOCK_GATEWAY: _, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const options = { timeout: 30_000, env: { ...inherited, ...env } };
    execFile(process.execPath, [CLI_PATH, ...args], options, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(new Error(`cannot run the CLI: ${err.message}`, { cause: err }));
        return;
      }
      resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
    });
  });
}
