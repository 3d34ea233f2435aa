import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { parseEnvelope, type Envelope } from '../helpers/gateway-call.js';
import { runCli } from '../helpers/run-cli.js';
import { startStubServer } from '../helpers/stub-http-server.js';

/** One `alipay-mock call` run: its exit code, the parsed XML answer and the summary line. */
interface CallRun {
  code: number;
  envelope: Envelope;
  summary: string;
}

describe('alipay-mock call', () => {
  let app: TestApp;
  let gateway: string;
  before(async () => {
    app = await startTestApp();
    gateway = `${app.url}/gateway.do`;
  });
  after(async () => app.close());

  async function call(...args: string[]): Promise<CallRun> {
    const run = await runCli(['call', ...args, '--gateway', gateway]);
    assert.equal(run.code, 0, run.stderr);
    const [xml = '', summary = ''] = run.stdout.trimEnd().split('\n');
    return { code: run.code, envelope: parseEnvelope(xml), summary };
  }

  it('walks a trade through pay → query → partial refund → refund the rest → TRADE_CLOSED', async () => {
    const pay = await call('pay', '--trans_amount', '10.00');
    assert.equal(pay.envelope.response['result_code'], 'SUCCESS');
    assert.equal(pay.summary, 'result_code: SUCCESS | response signature: verified');
    const id = pay.envelope.response['partner_trans_id'] ?? '';
    assert.match(id, /^CLI\d{18}$/, 'a new partner_trans_id is made up');

    const q1 = await call('query', `partner_trans_id=${id}`);
    assert.equal(q1.envelope.response['alipay_trans_status'], 'TRADE_SUCCESS');

    const r1 = await call('refund', '--partner_trans_id', id, '--refund_amount', '4.00');
    assert.equal(r1.envelope.response['result_code'], 'SUCCESS');
    assert.equal(r1.envelope.response['refund_amount'], '4.00');
    const r2 = await call('refund', '--partner-trans-id', id, '--refund-amount=6.00');
    assert.equal(r2.envelope.response['result_code'], 'SUCCESS');

    const q2 = await call('alipay.acquire.overseas.query', `partner_trans_id=${id}`, '--method', 'GET');
    assert.equal(q2.envelope.response['alipay_trans_status'], 'TRADE_CLOSED');
  });

  it('walks another trade through pay → cancel → TRADE_CLOSED', async () => {
    const pay = await call('pay');
    assert.equal(pay.envelope.response['trans_amount'], '0.01');
    const id = pay.envelope.response['partner_trans_id'] ?? '';
    const cancel = await call('cancel', '--out_trade_no', id);
    assert.equal(cancel.envelope.response['result_code'], 'SUCCESS');
    assert.equal(cancel.envelope.response['action'], 'refund');
    const q = await call('query', `partner_trans_id=${id}`);
    assert.equal(q.envelope.response['alipay_trans_status'], 'TRADE_CLOSED');
  });

  it('prints a business failure with its error code', async () => {
    const q = await call('query', 'partner_trans_id=NO_SUCH_TRADE');
    assert.equal(q.summary, 'result_code: FAIL, error: TRADE_NOT_EXIST | response signature: verified');
  });

  it('prints a gateway refusal and still exits 0: it is an answer', async () => {
    const q = await call('query', 'partner_trans_id=P1', '--key', 'x'.repeat(32));
    assert.equal(q.envelope.isSuccess, 'F');
    assert.equal(q.summary, 'is_success: F, error: ILLEGAL_SIGN | response signature: not checked');
  });

  it('exits 1 with the reason when no answer arrives', async () => {
    const stub = await startStubServer((req) => req.socket.resetAndDestroy());
    try {
      const run = await runCli([
        'call',
        'query',
        'partner_trans_id=P1',
        '--gateway',
        `${stub.url}/gateway.do`,
      ]);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /no answer \(network\)/);
    } finally {
      await stub.close();
    }
  });

  it('refuses a parameter without a value as a usage error (exit 2)', async () => {
    const run = await runCli(['call', 'query', 'partner_trans_id']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /name=value/);
  });
});
