// A reader that stops early (`alipay-mock rules export | head`) closes the pipe under the command: the
// command ends there, with success and nothing on stderr, not with Node's stack trace for EPIPE.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';

const DEMO = '2088101122136241';
/** Enough rules that their export is many times a pipe's 64 KiB buffer. */
const RULES = 2_000;

describe('a command whose reader stops early', () => {
  let dir: string;
  let app: TestApp;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alipay-mock-closed-pipe-'));
    app = await startTestApp();
    const rules = Array.from({ length: RULES }, (_, i) => ({
      id: `decline-${i}`,
      partner: DEMO,
      service: 'alipay.acquire.overseas.spot.pay',
      name: `decline ${i}.01, a name long enough to make the export large`,
      when: [{ field: 'trans_amount', op: 'eq', value: `${i}.01` }],
      then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
    }));
    const file = join(dir, 'many.json');
    await writeFile(file, JSON.stringify({ version: 1, rules }));
    const imported = await runCli(['rules', 'import', file, '--gateway', app.url]);
    assert.equal(imported.code, 0, imported.stderr);
  });
  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('rules export ends with success and says nothing when its stdout closes', async () => {
    const child = spawn(process.execPath, [CLI_PATH, 'rules', 'export', '--gateway', app.url], {
      env: { ...process.env, ALIPAY_MOCK_GATEWAY: '' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let first = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stdout.once('data', (chunk: Buffer) => {
        first = chunk.toString('utf8');
        // Like `head`: read the first lines, then close the pipe with the rest unread.
        child.stdout.destroy();
        resolve();
      }),
    );
    const code = await exited;
    assert.match(first, /^# alipay-mock rules exported from http/);
    assert.equal(stderr, '', 'nothing on stderr');
    assert.equal(code, 0);
  });
});
