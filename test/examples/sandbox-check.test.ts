// The integration check from the toolkit, as an integrator's node:test suite would use it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from 'alipay-mock';

let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox();
});

after(async () => {
  await sandbox.close();
});

test('sandbox.check arms SYSTEM_ERROR, and judges a checkout that queries and cancels', async () => {
  const run = await sandbox.check.start(['pay-system-error']);
  const client = sandbox.client();
  const pay = await client.spotPay({
    partnerTransId: 'CHK-SYSERR-ORDER-1',
    transName: 'Coffee',
    currency: 'USD',
    transAmount: '3.00',
    buyerIdentityCode: '280000000000000001',
  });
  assert.equal(pay.error, 'SYSTEM_ERROR');
  let [verdict] = await sandbox.check.report();
  assert.equal(verdict?.status, 'failed');
  await client.query({ partnerTransId: 'CHK-SYSERR-ORDER-1' });
  await client.cancel({ outTradeNo: 'CHK-SYSERR-ORDER-1' });
  [verdict] = await sandbox.check.end(run.id);
  assert.equal(verdict?.status, 'passed', verdict?.findings.join('\n'));
  assert.match(
    await sandbox.check.junit(),
    /<testsuite name="check run chk-[0-9a-f]{12}" tests="1" failures="0"/,
  );
  await assert.rejects(sandbox.check.end(run.id), /already ended/);
  assert.deepEqual(await sandbox.rules.list(), []);
});
