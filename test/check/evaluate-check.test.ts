import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCheck } from '../../src/check/evaluate-check.js';
import { CHECK_SCENARIOS } from '../../src/check/check-scenarios.js';
import type { CheckDelivery } from '../../src/check/check-entry.js';
import type { CheckVerdict } from '../../src/check/check-verdict.js';
import { RULE_SCHEMA } from '../../src/rules/rule-schema.js';
import { entryList } from './check-entries.js';

function verdict(
  list: ReturnType<typeof entryList>,
  id: string,
  deliveries: CheckDelivery[] = [],
): CheckVerdict {
  const v = evaluateCheck({ entries: list.entries, deliveries }).find((x) => x.scenario === id);
  assert.ok(v, id);
  return v;
}

const paid = { alipay_trans_status: 'TRADE_SUCCESS' };

test('every scenario is not exercised on an empty run, and says what would exercise it', () => {
  for (const v of evaluateCheck({ entries: [], deliveries: [] })) {
    assert.equal(v.status, 'not_exercised', v.scenario);
    assert.equal(v.findings.length, 1);
  }
});

test('every armed set-up is a valid rule, and prefixes do not overlap', () => {
  for (const s of CHECK_SCENARIOS) {
    for (const r of s.setup) {
      const when = [{ field: 'partner_trans_id', op: 'prefix', value: s.prefix ?? '' }];
      const parsed = RULE_SCHEMA.safeParse({
        partner: '2088101122136241',
        service: r.service,
        name: s.id,
        when,
        then: r.then,
      });
      assert.ok(parsed.success, `${s.id}: ${JSON.stringify(parsed.error?.issues)}`);
    }
    for (const o of CHECK_SCENARIOS) {
      if (o !== s && s.prefix !== null && o.prefix !== null)
        assert.ok(!o.prefix.startsWith(s.prefix), `${s.id} / ${o.id}`);
    }
  }
});

test('SYSTEM_ERROR then query (not found) then cancel passes, with the requests as evidence', () => {
  const l = entryList();
  l.add('pay', 'CHK-SYSERR-1', 'FAILED:SYSTEM_ERROR');
  l.add('query', 'CHK-SYSERR-1', 'FAIL:TRADE_NOT_EXIST');
  l.add('cancel', 'CHK-SYSERR-1', 'FAIL:TRADE_NOT_EXIST');
  const v = verdict(l, 'pay-system-error');
  assert.equal(v.status, 'passed', v.findings.join());
  assert.deepEqual(
    v.evidence.map((e) => e.requestId),
    [1, 2, 3],
  );
  assert.equal(v.evidence[0]?.apiLink, '/api/requests/1');
});

test('SYSTEM_ERROR then a query that reports TRADE_SUCCESS passes without a cancel', () => {
  const l = entryList();
  l.add('pay', 'CHK-SYSERR-1', 'FAILED:SYSTEM_ERROR');
  l.add('query', 'CHK-SYSERR-1', 'SUCCESS', { answer: paid });
  assert.equal(verdict(l, 'pay-system-error').status, 'passed');
});

test('SYSTEM_ERROR with no query fails, also when the POS cancels straight away', () => {
  const l = entryList();
  l.add('pay', 'CHK-SYSERR-1', 'FAILED:SYSTEM_ERROR');
  l.add('pay', 'CHK-SYSERR-2', 'FAILED:SYSTEM_ERROR');
  l.add('cancel', 'CHK-SYSERR-2', 'FAIL:TRADE_NOT_EXIST');
  const v = verdict(l, 'pay-system-error');
  assert.equal(v.status, 'failed');
  assert.equal(v.findings.length, 2);
  assert.match(v.findings[0] ?? '', /CHK-SYSERR-1: never queried .*nothing followed/);
  assert.match(v.findings[1] ?? '', /CHK-SYSERR-2: never queried .*cancelled without a query/);
  assert.deepEqual(v.flaggedRequestIds, [1, 2, 3]);
});

test('SYSTEM_ERROR, queried but still unknown and never cancelled, fails', () => {
  const l = entryList();
  l.add('pay', 'CHK-SYSERR-1', 'FAILED:SYSTEM_ERROR');
  l.add('query', 'CHK-SYSERR-1', 'FAIL:TRADE_NOT_EXIST');
  const v = verdict(l, 'pay-system-error');
  assert.equal(v.status, 'failed');
  assert.match(v.findings[0] ?? '', /stayed unknown \(last query: FAIL:TRADE_NOT_EXIST\)/);
});

test('a cancel after the time limit does not count', () => {
  const l = entryList();
  l.add('pay', 'CHK-SYSERR-1', 'FAILED:SYSTEM_ERROR', { at: 0 });
  l.add('query', 'CHK-SYSERR-1', 'FAIL:TRADE_NOT_EXIST', { at: 5 });
  l.add('cancel', 'CHK-SYSERR-1', 'SUCCESS', { at: 121 });
  assert.equal(verdict(l, 'pay-system-error').status, 'failed');
});

test('time limits are judged on the sandbox clock: moved past the limit fails, moved back within it passes', () => {
  // Received a second apart, but the merchant's clock was advanced 200 s before the cancel.
  const moved = entryList();
  moved.add('pay', 'CHK-SYSERR-1', 'FAILED:SYSTEM_ERROR', { at: 0, sandbox: 0 });
  moved.add('query', 'CHK-SYSERR-1', 'FAIL:TRADE_NOT_EXIST', { at: 1, sandbox: 1 });
  moved.add('cancel', 'CHK-SYSERR-1', 'SUCCESS', { at: 2, sandbox: 201 });
  const v = verdict(moved, 'pay-system-error');
  assert.equal(v.status, 'failed');
  assert.match(v.findings[0] ?? '', /no cancel followed within 120 s/);
  assert.equal(v.evidence[2]?.sandboxAt, '2026-12-07T03:03:21.000Z');
  assert.equal(v.evidence[2]?.receivedAt, '2026-12-06T03:00:02.000Z');
  // Received 300 s apart while the clock stood frozen: in sandbox time the cancel came at once.
  const frozen = entryList();
  frozen.add('pay', 'CHK-SYSERR-1', 'FAILED:SYSTEM_ERROR', { at: 0, sandbox: 0 });
  frozen.add('query', 'CHK-SYSERR-1', 'FAIL:TRADE_NOT_EXIST', { at: 150, sandbox: 0 });
  frozen.add('cancel', 'CHK-SYSERR-1', 'SUCCESS', { at: 300, sandbox: 0 });
  assert.equal(verdict(frozen, 'pay-system-error').status, 'passed');
});

test('the polling pace is real time: queries 3 s apart on a frozen clock pass, a moved clock does not slow them', () => {
  const wait = { alipay_trans_status: 'WAIT_BUYER_PAY' };
  const frozen = entryList();
  frozen.add('pay', 'CHK-WAIT-1', 'UNKNOW', { at: 0, sandbox: 0 });
  for (const n of [1, 2, 3])
    frozen.add('query', 'CHK-WAIT-1', 'SUCCESS', { at: n * 3, sandbox: 0, answer: wait });
  frozen.add('cancel', 'CHK-WAIT-1', 'SUCCESS', { at: 10, sandbox: 0, answer: { action: 'close' } });
  assert.equal(verdict(frozen, 'pay-wait-buyer-pay').status, 'passed');
  const l = entryList();
  l.add('pay', 'CHK-WAIT-1', 'UNKNOW', { at: 0, sandbox: 0 });
  // A POS test that advances the sandbox clock 3 s before each query instead of sleeping.
  for (const n of [1, 2, 3])
    l.add('query', 'CHK-WAIT-1', 'SUCCESS', { at: n * 0.1, sandbox: n * 3, answer: wait });
  l.add('cancel', 'CHK-WAIT-1', 'SUCCESS', { at: 0.4, sandbox: 10, answer: { action: 'close' } });
  const v = verdict(l, 'pay-wait-buyer-pay');
  assert.equal(v.status, 'failed');
  assert.match(v.findings[0] ?? '', /2 of 3 queries came less than 2 s after the one before/);
});

test('an entry without a sandbox time is judged on when it was received', () => {
  const l = entryList();
  l.add('pay', 'CHK-SYSERR-1', 'FAILED:SYSTEM_ERROR', { at: 0 });
  l.add('query', 'CHK-SYSERR-1', 'FAIL:TRADE_NOT_EXIST', { at: 5 });
  l.add('cancel', 'CHK-SYSERR-1', 'SUCCESS', { at: 121 });
  for (const e of l.entries) e.sandboxAt = null;
  assert.equal(verdict(l, 'pay-system-error').status, 'failed');
  l.entries[2]!.receivedAt = new Date(l.entries[0]!.receivedAt.getTime() + 119_000);
  assert.equal(verdict(l, 'pay-system-error').status, 'passed');
});

test('no answer to pay: a new pay with a new id before the cancel fails; query then cancel passes', () => {
  const bad = entryList();
  bad.add('pay', 'CHK-NOANSWER-1', 'fault:reset');
  bad.add('pay', 'CHK-NOANSWER-2', 'fault:reset');
  const v = verdict(bad, 'pay-no-answer');
  assert.equal(v.status, 'failed');
  assert.match(v.findings[0] ?? '', /CHK-NOANSWER-1: paid again as CHK-NOANSWER-2/);
  const good = entryList();
  good.add('pay', 'CHK-NOANSWER-1', 'fault:reset');
  good.add('query', 'CHK-NOANSWER-1', 'SUCCESS', { answer: { alipay_trans_status: 'WAIT_BUYER_PAY' } });
  good.add('cancel', 'CHK-NOANSWER-1', 'SUCCESS');
  good.add('pay', 'CHK-NOANSWER-2', 'SUCCESS');
  good.add('cancel', 'CHK-NOANSWER-2', 'SUCCESS');
  assert.equal(verdict(good, 'pay-no-answer').status, 'passed');
});

test('a badly signed SUCCESS followed by a refund fails (taken as paid); followed by a query passes', () => {
  const bad = entryList();
  bad.add('pay', 'CHK-BADSIGN-1', 'SUCCESS');
  bad.add('refund', 'CHK-BADSIGN-1', 'SUCCESS', {
    params: { partner_refund_id: 'R1', refund_amount: '1.00' },
  });
  const v = verdict(bad, 'pay-bad-signature');
  assert.equal(v.status, 'failed');
  assert.match(v.findings[0] ?? '', /refunded although the payment was never confirmed/);
  const silent = entryList();
  silent.add('pay', 'CHK-BADSIGN-1', 'SUCCESS');
  assert.equal(verdict(silent, 'pay-bad-signature').status, 'failed');
  const good = entryList();
  good.add('pay', 'CHK-BADSIGN-1', 'SUCCESS');
  good.add('query', 'CHK-BADSIGN-1', 'SUCCESS', { answer: paid });
  assert.equal(verdict(good, 'pay-bad-signature').status, 'passed');
});

const refund = (id: string, amount: string) => ({ params: { partner_refund_id: id, refund_amount: amount } });

test('a refund retried with the same id passes, with a new id fails, never retried fails', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['same', 'R1', 'passed'],
    ['new', 'R2', 'failed'],
    ['never', undefined, 'failed'],
  ];
  for (const [name, retryId, status] of cases) {
    const l = entryList();
    l.add('pay', 'CHK-REFUND-RETRY-1', 'SUCCESS');
    l.add('refund', 'CHK-REFUND-RETRY-1', 'UNKNOW', refund('R1', '5.00'));
    if (retryId !== undefined) l.add('refund', 'CHK-REFUND-RETRY-1', 'SUCCESS', refund(retryId, '5.00'));
    assert.equal(verdict(l, 'refund-retry-same-id').status, status, name);
  }
});

test('partial then rest with two ids passes; the id of a refund answered SUCCESS reused fails', () => {
  const good = entryList();
  good.add('refund', 'CHK-REFUND-NEW-1', 'SUCCESS', refund('R1', '4.00'));
  good.add('refund', 'CHK-REFUND-NEW-1', 'SUCCESS', refund('R2', '6.00'));
  assert.equal(verdict(good, 'refund-new-id').status, 'passed');
  const bad = entryList();
  bad.add('refund', 'CHK-REFUND-NEW-1', 'SUCCESS', refund('R1', '4.00'));
  bad.add('refund', 'CHK-REFUND-NEW-1', 'FAILED:DISCORDANT_REPEAT_REQUEST', refund('R1', '6.00'));
  const v = verdict(bad, 'refund-new-id');
  assert.equal(v.status, 'failed');
  assert.deepEqual(v.flaggedRequestIds, [1, 2]);
});

test('an over-refund resent unchanged fails; followed by a smaller refund passes', () => {
  const bad = entryList();
  bad.add('refund', 'CHK-OVER-REFUND-1', 'FAILED:RETURN_AMOUNT_EXCEED', refund('R1', '20.00'));
  bad.add('refund', 'CHK-OVER-REFUND-1', 'FAILED:RETURN_AMOUNT_EXCEED', refund('R1', '20.00'));
  assert.equal(verdict(bad, 'over-refund').status, 'failed');
  const good = entryList();
  good.add('refund', 'CHK-OVER-REFUND-1', 'FAILED:RETURN_AMOUNT_EXCEED', refund('R1', '20.00'));
  good.add('refund', 'CHK-OVER-REFUND-1', 'SUCCESS', refund('R2', '10.00'));
  assert.equal(verdict(good, 'over-refund').status, 'passed');
});

test('a cancel answered retry_flag=Y must be sent again until SUCCESS', () => {
  const bad = entryList();
  bad.add('pay', 'CHK-CANCEL-1', 'SUCCESS');
  bad.add('cancel', 'CHK-CANCEL-1', 'FAIL:SYSTEM_ERROR', { answer: { retry_flag: 'Y' } });
  assert.equal(verdict(bad, 'cancel-after-pay').status, 'failed');
  const good = entryList();
  good.add('pay', 'CHK-CANCEL-1', 'SUCCESS');
  good.add('cancel', 'CHK-CANCEL-1', 'FAIL:SYSTEM_ERROR', { answer: { retry_flag: 'Y' } });
  good.add('cancel', 'CHK-CANCEL-1', 'SUCCESS', { answer: { action: 'refund' } });
  const v = verdict(good, 'cancel-after-pay');
  assert.equal(v.status, 'passed');
  assert.match(v.findings[0] ?? '', /action refund/);
});

test('notifications: every attempt answered success passes, one answered OK fails', () => {
  const l = entryList();
  l.add('pay', 'CHK-NOTIFY-1', 'SUCCESS', { params: { notify_url: 'http://127.0.0.1:1/n' } });
  const at = new Date();
  const d = (attempt: number, body: string): CheckDelivery => ({
    notificationId: 'n1',
    attempt,
    at,
    responseStatus: 200,
    responseBody: body,
    partnerTransId: 'CHK-NOTIFY-1',
    mode: 'duplicate',
  });
  assert.equal(verdict(l, 'notification-success', [d(1, 'success'), d(2, 'success\n')]).status, 'passed');
  const v = verdict(l, 'notification-success', [d(1, 'success'), d(2, 'OK')]);
  assert.equal(v.status, 'failed');
  assert.match(v.findings[0] ?? '', /attempt 2 answered HTTP 200 "OK"/);
  assert.match(verdict(l, 'notification-success').findings[0] ?? '', /no notification was delivered/);
});

test('signatures: one badly signed request fails the run and is the only evidence', () => {
  const l = entryList();
  l.add('pay', 'P-1', 'SUCCESS');
  l.add('query', 'P-1', 'F:ILLEGAL_SIGN', { signed: false });
  const v = verdict(l, 'signatures');
  assert.equal(v.status, 'failed');
  assert.deepEqual(
    v.evidence.map((e) => e.requestId),
    [2],
  );
  l.entries.pop();
  assert.equal(verdict(l, 'signatures').status, 'passed');
});

test('cancel of a trade never paid: TRADE_NOT_EXIST taken as final passes; a resend or a later pay fails', () => {
  const good = entryList();
  good.add('cancel', 'CHK-NOTRADE-1', 'FAIL:TRADE_NOT_EXIST', { answer: { retry_flag: 'N' } });
  good.add('pay', 'CHK-NOTRADE-2', 'SUCCESS');
  const v = verdict(good, 'cancel-unknown-trade');
  assert.equal(v.status, 'passed', v.findings.join());
  assert.match(v.findings[0] ?? '', /CHK-NOTRADE-1: .*final/);
  const resent = entryList();
  for (let i = 0; i < 3; i++) resent.add('cancel', 'CHK-NOTRADE-1', 'FAIL:TRADE_NOT_EXIST');
  const r = verdict(resent, 'cancel-unknown-trade');
  assert.equal(r.status, 'failed');
  assert.deepEqual(r.flaggedRequestIds, [1, 2, 3]);
  assert.match(r.findings[0] ?? '', /2 more cancel\(s\) and 0 pay/);
  const paidAfter = entryList();
  paidAfter.add('cancel', 'CHK-NOTRADE-1', 'FAIL:TRADE_NOT_EXIST');
  paidAfter.add('pay', 'CHK-NOTRADE-1', 'SUCCESS');
  assert.equal(verdict(paidAfter, 'cancel-unknown-trade').status, 'failed');
});

test('cancel of a trade never paid is not exercised while no cancel was answered TRADE_NOT_EXIST', () => {
  const l = entryList();
  l.add('pay', 'CHK-NOTRADE-1', 'SUCCESS');
  l.add('cancel', 'CHK-NOTRADE-1', 'SUCCESS', { answer: { action: 'refund' } });
  assert.equal(verdict(l, 'cancel-unknown-trade').status, 'not_exercised');
});

test('a mis-signed notification answered success fails; refused (any other answer) passes', () => {
  const l = entryList();
  l.add('pay', 'CHK-BADNOTIFY-1', 'SUCCESS', { params: { notify_url: 'http://127.0.0.1:1/n' } });
  const d = (attempt: number, status: number | null, body: string | null): CheckDelivery => ({
    notificationId: 'n1',
    attempt,
    at: new Date(),
    responseStatus: status,
    responseBody: body,
    partnerTransId: 'CHK-BADNOTIFY-1',
    mode: 'bad_signature',
  });
  const refused = [d(1, 200, 'fail'), d(2, 500, 'error'), d(3, null, null)];
  assert.equal(verdict(l, 'notification-bad-signature', refused).status, 'passed');
  const v = verdict(l, 'notification-bad-signature', [d(1, 200, 'fail'), d(2, 200, ' success\n')]);
  assert.equal(v.status, 'failed');
  assert.match(v.findings[0] ?? '', /mis-signed notification n1 attempt 2 answered HTTP 200/);
  const normal = { ...d(1, 200, 'success'), mode: 'normal' as const };
  assert.equal(verdict(l, 'notification-bad-signature', [normal]).status, 'not_exercised');
});

test('UNKNOW: polled 2 s apart then cancelled passes; too fast, never cancelled or never queried fails', () => {
  const wait = { alipay_trans_status: 'WAIT_BUYER_PAY' };
  const good = entryList();
  good.add('pay', 'CHK-WAIT-1', 'UNKNOW', { at: 0 });
  for (const at of [1, 4, 7]) good.add('query', 'CHK-WAIT-1', 'SUCCESS', { at, answer: wait });
  good.add('cancel', 'CHK-WAIT-1', 'SUCCESS', { at: 8, answer: { action: 'close' } });
  const v = verdict(good, 'pay-wait-buyer-pay');
  assert.equal(v.status, 'passed', v.findings.join());
  assert.match(v.findings[0] ?? '', /polled 3 times .* then cancelled/);
  const fast = entryList();
  fast.add('pay', 'CHK-WAIT-1', 'UNKNOW', { at: 0 });
  for (const at of [1, 1.5, 4]) fast.add('query', 'CHK-WAIT-1', 'SUCCESS', { at, answer: wait });
  fast.add('cancel', 'CHK-WAIT-1', 'SUCCESS', { at: 5 });
  const f = verdict(fast, 'pay-wait-buyer-pay');
  assert.equal(f.status, 'failed');
  assert.deepEqual(f.flaggedRequestIds, [1, 3]);
  const endless = entryList();
  endless.add('pay', 'CHK-WAIT-1', 'UNKNOW', { at: 0 });
  for (let i = 1; i <= 22; i++) endless.add('query', 'CHK-WAIT-1', 'SUCCESS', { at: i * 3, answer: wait });
  endless.add('cancel', 'CHK-WAIT-1', 'SUCCESS', { at: 70 });
  assert.match(verdict(endless, 'pay-wait-buyer-pay').findings[0] ?? '', /queried 22 times/);
  const late = entryList();
  late.add('pay', 'CHK-WAIT-1', 'UNKNOW', { at: 0 });
  late.add('query', 'CHK-WAIT-1', 'SUCCESS', { at: 3, answer: wait });
  late.add('cancel', 'CHK-WAIT-1', 'SUCCESS', { at: 200 });
  assert.match(verdict(late, 'pay-wait-buyer-pay').findings[0] ?? '', /not cancelled within 180 s/);
  const silent = entryList();
  silent.add('pay', 'CHK-WAIT-1', 'UNKNOW');
  assert.match(verdict(silent, 'pay-wait-buyer-pay').findings[0] ?? '', /never queried/);
});

test('UNKNOW then a query that reports TRADE_SUCCESS passes without a cancel', () => {
  const l = entryList();
  l.add('pay', 'CHK-WAIT-1', 'UNKNOW', { at: 0 });
  l.add('query', 'CHK-WAIT-1', 'SUCCESS', { at: 3, answer: { alipay_trans_status: 'WAIT_BUYER_PAY' } });
  l.add('query', 'CHK-WAIT-1', 'SUCCESS', { at: 6, answer: paid });
  assert.equal(verdict(l, 'pay-wait-buyer-pay').status, 'passed');
});

test('out of order: the held-back paid notification and the close answered success pass; OK fails', () => {
  const l = entryList();
  l.add('pay', 'CHK-LATENOTIFY-1', 'SUCCESS', { params: { notify_url: 'http://127.0.0.1:1/n' } });
  l.add('cancel', 'CHK-LATENOTIFY-1', 'SUCCESS', { answer: { action: 'refund' } });
  const d = (id: string, body: string, mode: 'normal' | 'out_of_order'): CheckDelivery => ({
    notificationId: id,
    attempt: 1,
    at: new Date(),
    responseStatus: 200,
    responseBody: body,
    partnerTransId: 'CHK-LATENOTIFY-1',
    mode,
  });
  const close = d('close', 'success', 'normal');
  assert.equal(verdict(l, 'notification-out-of-order', [close]).status, 'not_exercised');
  const late = [close, d('paid', 'success', 'out_of_order')];
  assert.equal(verdict(l, 'notification-out-of-order', late).status, 'passed');
  const v = verdict(l, 'notification-out-of-order', [close, d('paid', 'OK', 'out_of_order')]);
  assert.equal(v.status, 'failed');
  assert.match(v.findings[0] ?? '', /notification paid attempt 1 answered HTTP 200 "OK"/);
});
