// An integrator's test, exactly as docs/testing.md shows it: a sandbox in the test process, a failure
// scripted with a mock rule, the code under test run against it, and assertions on the request log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type MapiClient, type Sandbox } from 'alipay-mock';

/** The code under test: charges a payment code, retries on SYSTEM_ERROR, then queries for the truth. */
async function checkout(
  client: MapiClient,
  order: { id: string; amount: string; paymentCode: string },
): Promise<'paid' | 'declined' | 'unknown'> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const pay = await client.spotPay({
      partnerTransId: order.id,
      transName: 'Coffee',
      currency: 'USD',
      transAmount: order.amount,
      buyerIdentityCode: order.paymentCode,
    });
    if (pay.resultCode === 'SUCCESS') break;
    if (pay.error !== 'SYSTEM_ERROR') return 'declined';
  }
  // Whatever the answers said, the query tells what really happened (docs/reference/alipay-mapi-protocol.md §7.5).
  const query = await client.query({ partnerTransId: order.id });
  return query.tradeStatus === 'TRADE_SUCCESS' ? 'paid' : 'unknown';
}

let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox();
});

after(async () => {
  await sandbox.close();
});

test('checkout retries a SYSTEM_ERROR and confirms the payment with a query', async () => {
  await sandbox.rules.add({
    service: 'alipay.acquire.overseas.spot.pay',
    name: 'the first attempt fails',
    when: [{ field: 'partner_trans_id', op: 'eq', value: 'ORDER-1' }],
    then: { type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR' },
    times: 1,
  });

  const result = await checkout(sandbox.client(), {
    id: 'ORDER-1',
    amount: '12.50',
    paymentCode: '280000000000000001',
  });

  assert.equal(result, 'paid');
  await sandbox.requests.expect(
    { service: 'pay', partnerTransId: 'ORDER-1', error: 'SYSTEM_ERROR' },
    { count: 1 },
  );
  await sandbox.requests.expect(
    { service: 'pay', partnerTransId: 'ORDER-1', resultCode: 'SUCCESS' },
    { count: 1 },
  );
  await sandbox.requests.expect({ service: 'query', partnerTransId: 'ORDER-1' }, { count: 1 });
});

test('checkout trusts the query when every answer was lost but the payment went through', async () => {
  await sandbox.rules.add({
    service: 'alipay.acquire.overseas.spot.pay',
    name: 'paid, but the answer says SYSTEM_ERROR',
    when: [{ field: 'partner_trans_id', op: 'eq', value: 'ORDER-2' }],
    then: { type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR', effect: 'create_trade' },
  });

  const result = await checkout(sandbox.client(), {
    id: 'ORDER-2',
    amount: '8.00',
    paymentCode: '280000000000000001',
  });

  assert.equal(result, 'paid');
  await sandbox.requests.expect({ service: 'pay', partnerTransId: 'ORDER-2' }, { count: 3 });
  const trade = await sandbox.trades.get('ORDER-2');
  assert.equal(trade?.status, 'TRADE_SUCCESS');
  assert.equal(trade?.amountMinor, 800, 'charged once, not three times');
});
