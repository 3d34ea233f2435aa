// `alipay-mock check start --keyed-by`, against a real sandbox over sockets.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { api } from '../helpers/admin-call.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';

const P = DEMO_MERCHANT.partner;
let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.close());

const cli = (...args: string[]) =>
  runCli(['check', 'start', ...args, '--partner', P, '--gateway-url', app.url]);

it('check start --keyed-by amount starts a run keyed by amount and prints each scenario amount', async () => {
  const run = await cli('--keyed-by', 'amount', '--scenarios', 'pay-system-error,cancel-after-pay');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /started, keyed by amount/);
  assert.match(run.stdout, /pay-system-error +trans_amount \*\.61 /);
  // A cancel carries no amount: that scenario keeps its prefix.
  assert.match(run.stdout, /cancel-after-pay +CHK-CANCEL- /);
  const id = /check run (chk-[0-9a-f]+) started/.exec(run.stdout)?.[1] ?? '';
  const stored = await api(app.url, 'GET', `/api/merchants/${P}/check-runs/${id}`);
  assert.equal(stored.json['keyedBy'], 'amount');
  await api(app.url, 'POST', `/api/merchants/${P}/check-runs/${id}/end`);
});

it('check start keys by prefix by default, and refuses another --keyed-by with exit 2', async () => {
  const bad = await cli('--keyed-by', 'colour');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--keyed-by must be prefix or amount, got "colour"/);
  const run = await cli('--scenarios', 'pay-system-error');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /keyed by prefix\n {2}pay-system-error +CHK-SYSERR- /);
  const id = /check run (chk-[0-9a-f]+) started/.exec(run.stdout)?.[1] ?? '';
  await api(app.url, 'POST', `/api/merchants/${P}/check-runs/${id}/end`);
});
