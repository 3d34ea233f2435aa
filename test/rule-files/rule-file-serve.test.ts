import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway } from '../helpers/gateway-call.js';
import { api } from '../helpers/admin-call.js';
import { aPay } from '../helpers/builders.js';
import { failingServe, startServeProcess, type ServeProcess } from '../helpers/serve-process.js';

const PAY = 'alipay.acquire.overseas.spot.pay';

/** A rule file with one spot pay rule: trans_amount 12.34 is declined with `error`. */
function declineFile(error: string, extra = ''): string {
  return `# decline one amount
version: 1
rules:
  - id: decline-1234
    partner: "2088101122136241"
    service: ${PAY}
    name: decline 12.34
    when: [{ field: trans_amount, op: eq, value: "12.34" }]
    then: { type: business, result_code: FAILED, error: ${error} }
${extra}`;
}

/** What a pay of 12.34 answers now: the business error, or the result code when there is none. */
async function answerOf12_34(url: string): Promise<string> {
  const { response } = (await callGateway(url, PAY, aPay({ trans_amount: '12.34' }))).envelope;
  return response.error ?? response.result_code ?? '(none)';
}

/** Asks until the answer is `want`, for at most 5 s: the file watcher works in the background. */
async function eventually(ask: () => Promise<string>, want: string): Promise<void> {
  const deadline = Date.now() + 5000;
  let last = await ask();
  while (last !== want && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await ask();
  }
  assert.equal(last, want, 'the answer did not change within 5 s');
}

describe('serve --rules', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alipay-mock-rules-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  describe('a rule file loaded at start', () => {
    let app: TestApp;
    before(async () => {
      const file = join(dir, 'start.yaml');
      await writeFile(file, declineFile('BUYER_BALANCE_NOT_ENOUGH'));
      app = await startTestApp({ rules: file });
    });
    after(async () => app.close());

    it('answers from the first request on', async () => {
      assert.equal(await answerOf12_34(app.url), 'BUYER_BALANCE_NOT_ENOUGH');
    });

    it('is listed by the admin API under file:<id>', async () => {
      const { json } = await api(app.url, 'GET', '/api/rules');
      const items = json.items as Array<{ id: string; hits: number }>;
      assert.deepEqual(
        items.map((r) => r.id),
        ['file:decline-1234'],
      );
      assert.ok((items[0]?.hits ?? 0) >= 1);
    });
  });

  describe('a file edited while the sandbox runs', () => {
    let file: string;
    let sandbox: ServeProcess;
    before(async () => {
      file = join(dir, 'live.yaml');
      await writeFile(file, declineFile('BUYER_BALANCE_NOT_ENOUGH'));
      sandbox = await startServeProcess(['--rules', file]);
    });
    // Optional chaining: when the start failed there is nothing to stop.
    after(async () => sandbox?.stop());

    it('an edit in place changes the answer without a restart', async () => {
      assert.equal(await answerOf12_34(sandbox.url), 'BUYER_BALANCE_NOT_ENOUGH');
      await writeFile(file, declineFile('BUYER_NOT_EXIST'));
      await eventually(() => answerOf12_34(sandbox.url), 'BUYER_NOT_EXIST');
    });

    it('an invalid edit is logged with line numbers and the previous rules stay', async () => {
      await writeFile(file, declineFile('BUYER_NOT_EXIST').replace('op: eq', 'op: equals'));
      // Matched by its content: a reader may also catch the file half-written and reject that.
      const rejected = await sandbox.waitForLog(
        (l) => String(l.msg).startsWith('rule file rejected') && String(l.errors).includes('.op:'),
      );
      assert.deepEqual(rejected.errors, [
        `${file}:8:39: rules[0].when[0].op: Invalid option: expected one of "eq"|"ne"|"in"|"prefix"|"regex"|"gt"|"gte"|"lt"|"lte"|"exists"|"absent"`,
      ]);
      assert.equal(await answerOf12_34(sandbox.url), 'BUYER_NOT_EXIST');
    });

    it('an editor-style save (write elsewhere, rename over) is seen too; removed rules go away', async () => {
      const temp = join(dir, '.live.yaml.swp');
      await writeFile(temp, 'version: 1\nrules: []\n');
      await rename(temp, file);
      await eventually(() => answerOf12_34(sandbox.url), 'SUCCESS');
      const reloaded = await sandbox.waitForLog((l) => l.msg === 'rule file reloaded' && l.rules === 0);
      assert.deepEqual([reloaded.deleted, reloaded.changed], [1, ['file:decline-1234']]);
    });
  });

  it('an invalid file at start stops the server with every error located', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, declineFile('BUYER_NOT_EXIST').replace('value: "12.34"', 'value: 12.34'));
    const run = await failingServe(['--rules', file]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /rule file .*bad\.yaml is invalid:/);
    assert.match(run.stderr, /bad\.yaml:8:50: rules\[0\]\.when\[0\]\.value: .*write it in quotes, "12\.34"/);
  });

  it('a missing file at start stops the server', async () => {
    const run = await failingServe(['--rules', join(dir, 'missing.yaml')]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cannot read rule file .*missing\.yaml/);
  });
});
