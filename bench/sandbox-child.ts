/**
 * The sandbox in a child process, as `alipay-mock serve` runs it: SQLite file in a fresh temporary
 * folder (or `--db <url>`, with `--db-schema <name>` for PostgreSQL), `--rules <file>` as serve takes
 * it, logging off. Prints its ready line `{"url": …}`, with `"requestLog": <folder>` on SQLite (the
 * bench times how soon the log's entries become visible there).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/start-server.js';
import { requestLogLocation } from '../src/storage/request-log-thread.js';
import { listenToParent } from './listen-to-parent.js';

const flag = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const dir = await mkdtemp(join(tmpdir(), 'alipay-mock-bench-'));
const dbUrl = flag('--db');
const file = dbUrl === undefined ? join(dir, 'bench.db') : undefined;
const db = dbUrl ?? `sqlite:${file}`;
// No environment: the benchmark must not pick up a developer's ALIPAY_MOCK_* settings.
const sandbox = await startServer(
  loadConfig({ port: 0, db, dbSchema: flag('--db-schema'), rules: flag('--rules'), logLevel: 'silent' }, {}),
);
const requestLog = file === undefined ? undefined : requestLogLocation(file);
process.stdout.write(`${JSON.stringify({ url: sandbox.url, requestLog })}\n`);
listenToParent(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});
