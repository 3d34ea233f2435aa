/**
 * The sandbox in a child process, as `alipay-mock serve` runs it: SQLite file in a fresh temporary
 * folder (or `--db <url>`), logging off. Prints its ready line `{"url": …}`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/commands/serve.js';
import { listenToParent } from './listen-to-parent.js';

const dbFlag = process.argv.indexOf('--db');
const dir = await mkdtemp(join(tmpdir(), 'alipay-mock-bench-'));
const db = dbFlag >= 0 ? (process.argv[dbFlag + 1] ?? '') : `sqlite:${join(dir, 'bench.db')}`;
// No environment: the benchmark must not pick up a developer's ALIPAY_MOCK_* settings.
const sandbox = await startServer(loadConfig({ port: 0, db, logLevel: 'silent' }, {}));
process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);
listenToParent(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});
