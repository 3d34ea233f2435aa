// An integrator's QR checkout against the in-process sandbox: precreate, a buyer pays in the sandbox
// wallet, and the POS sees the payment by query and by notification (docs/testing.md).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxWalletError, startSandbox, type Sandbox } from 'alipay-mock';

let sandbox: Sandbox;
let merchantSite: Server;
let notifyUrl: string;
const received: Array<Record<string, string>> = [];

before(async () => {
  sandbox = await startSandbox();
  merchantSite = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(Object.fromEntries(new URLSearchParams(body)));
      res.end('success');
    });
  });
  await new Promise<void>((resolve) => merchantSite.listen(0, '127.0.0.1', resolve));
  notifyUrl = `http://127.0.0.1:${(merchantSite.address() as AddressInfo).port}/notify`;
});

after(async () => {
  await sandbox.close();
  await new Promise<void>((resolve) => merchantSite.close(() => resolve()));
});

async function precreate(outTradeNo: string, totalFee: string) {
  const answer = await sandbox.client().call('alipay.acquire.precreate', {
    out_trade_no: outTradeNo,
    subject: 'Two coffees',
    total_fee: totalFee,
    currency: 'USD',
    product_code: 'OVERSEAS_MBARCODE_PAY',
    timestamp: String(Date.now()),
    notify_url: notifyUrl,
  });
  assert.equal(answer.fields['result_code'], 'SUCCESS');
  assert.equal(answer.signatureVerified, true);
  return answer.fields['qr_code'] ?? '';
}

test('a QR order paid in the sandbox wallet turns TRADE_SUCCESS and notifies the merchant', async () => {
  const qrCode = await precreate('QR-ORDER-1', '7.50');
  assert.ok(qrCode.startsWith(`${sandbox.url}/wallet/`), qrCode);
  const before = await sandbox.client().query({ partnerTransId: 'QR-ORDER-1' });
  assert.equal(before.tradeStatus, 'WAIT_BUYER_PAY');

  const trade = await sandbox.wallet.pay(qrCode);
  assert.equal(trade.status, 'TRADE_SUCCESS');

  const after = await sandbox.client().query({ partnerTransId: 'QR-ORDER-1' });
  assert.equal(after.tradeStatus, 'TRADE_SUCCESS');
  const sent = await sandbox.notifications.waitFor({ partnerTransId: 'QR-ORDER-1' }, { until: 'delivered' });
  assert.equal(sent.params['trade_status'], 'TRADE_SUCCESS');
  assert.ok(
    received.some((p) => p['out_trade_no'] === 'QR-ORDER-1' && p['trade_status'] === 'TRADE_SUCCESS'),
  );
});

test('the wallet refuses a second payment, and expire closes a waiting order', async () => {
  const qrCode = await precreate('QR-ORDER-2', '3.00');
  await sandbox.wallet.pay(qrCode);
  await assert.rejects(sandbox.wallet.pay(qrCode), (err: unknown) => {
    assert.ok(err instanceof SandboxWalletError);
    assert.equal(err.reason, 'not_waiting');
    return true;
  });
  const other = await precreate('QR-ORDER-3', '3.00');
  assert.equal((await sandbox.wallet.expire(other)).status, 'TRADE_CLOSED');
  assert.equal((await sandbox.client().query({ partnerTransId: 'QR-ORDER-3' })).tradeStatus, 'TRADE_CLOSED');
});

test('a merchant QR code takes an amount: each payment is a new paid trade, found by query', async () => {
  const created = await sandbox.client().call('alipay.commerce.qrcode.create', {
    timestamp: '2026-11-26 12:00:00',
    biz_type: 'OVERSEASHOPQRCODE',
    notify_url: notifyUrl,
    biz_data: JSON.stringify({
      secondary_merchant_industry: '5812',
      secondary_merchant_id: 'SUB-1',
      secondary_merchant_name: 'Tea House',
      store_id: 'COUNTER-1',
      store_name: 'Tea Corner',
      trans_currency: 'USD',
    }),
  });
  assert.equal(created.fields['result_code'], 'SUCCESS');
  assert.equal(created.signatureVerified, true);
  const qrcode = created.fields['qrcode'] ?? '';

  const first = await sandbox.wallet.pay(qrcode, { amount: '12.30', buyer: '2088622937243084' });
  const second = await sandbox.wallet.pay(qrcode, { amount: '1.00' });
  assert.equal(first.status, 'TRADE_SUCCESS');
  assert.equal(first.buyerUserId, '2088622937243084');
  assert.equal(first.partnerTransId, first.alipayTransId);
  assert.notEqual(second.alipayTransId, first.alipayTransId);
  const found = await sandbox.client().query({ partnerTransId: first.partnerTransId });
  assert.equal(found.tradeStatus, 'TRADE_SUCCESS');
  assert.equal(found.fields['trans_amount'], '12.30');
  const sent = await sandbox.notifications.waitFor(
    { partnerTransId: first.partnerTransId },
    { until: 'delivered' },
  );
  assert.equal(sent.params['trade_status'], 'TRADE_SUCCESS');

  for (const [amount, reason] of [
    [undefined, 'amount_required'],
    ['12.345', 'amount_invalid'],
  ] as const) {
    await assert.rejects(
      sandbox.wallet.pay(qrcode, amount === undefined ? {} : { amount }),
      (err: unknown) => {
        assert.ok(err instanceof SandboxWalletError);
        assert.equal(err.reason, reason);
        return true;
      },
    );
  }
});
