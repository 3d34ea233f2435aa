import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aMerchantQr, aPrecreate } from '../helpers/builders.js';
import { runCli } from '../helpers/run-cli.js';

const QUERY = 'alipay.acquire.overseas.query';

describe('alipay-mock wallet', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  const precreate = async (totalFee: string) => {
    const params = aPrecreate({ total_fee: totalFee });
    const r = (await callGateway(app.url, 'alipay.acquire.precreate', params)).envelope.response;
    return { outTradeNo: params.out_trade_no!, qrCode: r.qr_code ?? '' };
  };
  const status = async (outTradeNo: string) =>
    (await callGateway(app.url, QUERY, { partner_trans_id: outTradeNo })).envelope.response
      .alipay_trans_status;

  it('wallet pay <qr_code> pays the order in the sandbox the code points to', async () => {
    const order = await precreate('4.20');
    const run = await runCli(['wallet', 'pay', order.qrCode, '--buyer', '2088622937243084']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `^TRADE_SUCCESS ${order.outTradeNo} \\(trade_no \\d{28}\\) 4\\.20 USD buyer 2088622937243084\\n$`,
      ),
    );
    assert.equal(await status(order.outTradeNo), 'TRADE_SUCCESS');
  });

  it('a refused payment exits 1 with the reason; expire closes the order', async () => {
    const order = await precreate('900.00');
    const poor = await runCli(['wallet', 'pay', order.qrCode, '--buyer', '2088000000000101']);
    assert.equal(poor.code, 1);
    assert.match(poor.stderr, /balance is too low \(balance_too_low\) \(HTTP 409\)/);
    const expired = await runCli(['wallet', 'expire', order.qrCode]);
    assert.equal(expired.code, 0, expired.stderr);
    assert.match(expired.stdout, /^TRADE_CLOSED /);
    assert.equal(await status(order.outTradeNo), 'TRADE_CLOSED');
  });

  it('a malformed --buyer is a usage error', async () => {
    const order = await precreate('1.00');
    const run = await runCli(['wallet', 'pay', order.qrCode, '--buyer', 'someone']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /--buyer must be a 16-digit buyer user id/);
  });

  it('wallet pay <merchant qrcode> --amount 12.30 makes a new paid trade each time', async () => {
    const created = await callGateway(app.url, 'alipay.commerce.qrcode.create', aMerchantQr());
    const qrcode = created.envelope.response.qrcode ?? '';
    assert.equal(created.envelope.response.result_code, 'SUCCESS', created.text);
    const ids: string[] = [];
    for (const amount of ['12.30', '12.30']) {
      const run = await runCli(['wallet', 'pay', qrcode, '--amount', amount, '--buyer', '2088622937243084']);
      assert.equal(run.code, 0, run.stderr);
      const m = /^TRADE_SUCCESS (\d+) \(trade_no (\d+)\) 12\.30 USD buyer 2088622937243084\n$/.exec(
        run.stdout,
      );
      assert.ok(m, run.stdout);
      assert.equal(m[1], m[2], 'partner_trans_id is the trade number (docs/protocol.md §12.5)');
      ids.push(m[1]!);
      assert.equal(await status(m[1]!), 'TRADE_SUCCESS');
    }
    assert.notEqual(ids[0], ids[1]);
  });

  it('a bad --amount is a clear error with a non-zero exit, and pays nothing', async () => {
    const created = await callGateway(app.url, 'alipay.commerce.qrcode.create', aMerchantQr());
    const qrcode = created.envelope.response.qrcode ?? '';
    const newest = async () =>
      (await app.store.listTrades({ partner: '2088101122136241', limit: 1 }))[0]?.alipayTransId;
    const before = await newest();
    const malformed = await runCli(['wallet', 'pay', qrcode, '--amount', '12,30']);
    assert.notEqual(malformed.code, 0);
    assert.match(malformed.stderr, /--amount must be a decimal amount such as 12\.30, got "12,30"/);
    const tooPrecise = await runCli(['wallet', 'pay', qrcode, '--amount', '12.345']);
    assert.equal(tooPrecise.code, 1);
    assert.match(
      tooPrecise.stderr,
      /the amount must be 0\.01 to 100000000\.00 with the currency's decimals \(HTTP 400\)/,
    );
    const missing = await runCli(['wallet', 'pay', qrcode]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /enter the amount to pay \(HTTP 400\)/);
    assert.equal(await newest(), before);
  });
});
