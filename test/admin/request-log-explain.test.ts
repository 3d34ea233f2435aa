import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { api } from '../helpers/admin-call.js';
import { callGateway, rawRequest } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const QUERY = 'alipay.acquire.overseas.query';
const A = DEMO_MERCHANT.partner;

type Candidate = { id: string; kind: string; matched: boolean; reasons: string[]; answered: boolean };
type Explanation = {
  reachedRules: boolean;
  answeredBy: { id: string; name: string } | null;
  candidates: Candidate[];
};

/** The newest log entry of the demo merchant. */
async function lastEntry(app: TestApp): Promise<Record<string, unknown>> {
  const list = await api(app.url, 'GET', `/api/requests?partner=${A}&limit=1`);
  const entry = (list.json['items'] as Array<Record<string, unknown>>)[0];
  assert.ok(entry);
  return entry;
}

async function explainLast(app: TestApp): Promise<Explanation> {
  const res = await api(app.url, 'GET', `/api/requests/${(await lastEntry(app))['id'] as number}/explain`);
  assert.equal(res.status, 200);
  return res.json as unknown as Explanation;
}

async function aRule(app: TestApp, rule: Record<string, unknown>): Promise<string> {
  const res = await api(app.url, 'POST', '/api/rules', {
    partner: A,
    service: PAY,
    then: { type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR' },
    ...rule,
  });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return res.json['id'] as string;
}

describe('request log: signature diagnosis', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  it('says "most likely a different key" for a well-formed request signed with another key', async () => {
    const res = await callGateway(app.url, PAY, aPay(), { key: 'z'.repeat(32) });
    assert.equal(res.envelope.error, 'ILLEGAL_SIGN');
    const entry = await lastEntry(app);
    assert.equal(entry['outcome'], 'F:ILLEGAL_SIGN');
    assert.equal(entry['reason'], 'signature does not verify');
    assert.match(entry['diagnosis'] as string, /string to sign is well-formed.*most likely a different key/);
    const one = await api(app.url, 'GET', `/api/requests/${entry['id'] as number}`);
    assert.equal(one.json['diagnosis'], entry['diagnosis']);
  });

  it('names a parameter added after signing', async () => {
    const signed = await callGateway(app.url, QUERY, { partner_trans_id: 'NO-SUCH-TRADE' });
    assert.equal(signed.envelope.isSuccess, 'T');
    const query = (await lastEntry(app))['rawQuery'] as string;
    const tampered = await rawRequest(app.url, { path: `/gateway.do?${query}&memo=late` });
    assert.match(tampered.text, /ILLEGAL_SIGN/);
    const entry = await lastEntry(app);
    assert.equal(entry['outcome'], 'F:ILLEGAL_SIGN');
    assert.match(entry['diagnosis'] as string, /without memo: the client sent memo \(in the URL\)/);
  });

  it('leaves the diagnosis empty for requests that passed the signature check', async () => {
    const res = await callGateway(app.url, PAY, aPay());
    assert.equal(res.envelope.isSuccess, 'T');
    assert.equal((await lastEntry(app))['diagnosis'], null);
  });
});

describe('request log: why did nothing match (explain)', () => {
  let app: TestApp;
  let decline: string;
  let wildcard: string;
  let usedUp: string;
  before(async () => {
    app = await startTestApp();
    decline = await aRule(app, {
      name: 'decline 12.34',
      priority: 10,
      when: [{ field: 'trans_amount', op: 'eq', value: '12.34' }],
    });
    wildcard = await aRule(app, {
      service: '*',
      name: 'memo prefix',
      when: [{ field: 'memo', op: 'prefix', value: 'FAIL-' }],
      then: { type: 'gateway_error', code: 'SYSTEM_ERROR' },
    });
    usedUp = await aRule(app, {
      name: 'once',
      priority: -5,
      times: 1,
      when: [{ field: 'memo', op: 'eq', value: 'once' }],
    });
    await aRule(app, { name: 'switched off', enabled: false });
    await aRule(app, {
      service: QUERY,
      name: 'query only',
      then: { type: 'business', result_code: 'FAIL', error: 'SYSTEM_ERROR' },
    });
    assert.equal(
      (await api(app.url, 'PUT', `/api/merchants/${A}/default-rules/default-pay-9901`, { enabled: false }))
        .status,
      200,
    );
    // Use up the `times: 1` rule.
    const once = await callGateway(app.url, PAY, aPay({ memo: 'once' }));
    assert.equal(once.envelope.response['error'], 'SYSTEM_ERROR');
  });
  after(async () => app.close());

  it('lists custom rules for the service and "*", then the defaults left on, each with its reasons', async () => {
    const res = await callGateway(app.url, PAY, aPay({ trans_amount: '10.00', memo: 'hello' }));
    assert.equal(res.envelope.response['result_code'], 'SUCCESS');
    const explained = await explainLast(app);
    assert.equal(explained.reachedRules, true);
    assert.equal(explained.answeredBy, null);
    const custom = explained.candidates.filter((c) => c.kind === 'custom');
    assert.deepEqual(
      custom.map((c) => c.id),
      [decline, wildcard, usedUp],
    );
    assert.deepEqual(custom[0]?.reasons, ['trans_amount is 10.00, rule wants eq 12.34']);
    assert.deepEqual(custom[1]?.reasons, ['memo is hello, rule wants prefix FAIL-']);
    assert.deepEqual(custom[2]?.reasons, [
      'memo is hello, rule wants eq once',
      'the rule is used up (1 of 1 matches)',
    ]);
    assert.ok(explained.candidates.every((c) => !c.matched && !c.answered));
    const defaults = explained.candidates.filter((c) => c.kind === 'default').map((c) => c.id);
    assert.ok(defaults.includes('default-pay-9902'));
    assert.ok(!defaults.includes('default-pay-9901'), 'a default rule switched off is no candidate');
    const d9902 = explained.candidates.find((c) => c.id === 'default-pay-9902');
    assert.deepEqual(d9902?.reasons, ['trans_amount is 10.00, rule wants eq 9902']);
  });

  it('marks the rule that answered, and other matching rules it shadowed', async () => {
    await callGateway(app.url, PAY, aPay({ trans_amount: '12.34', memo: 'FAIL-1' }));
    const explained = await explainLast(app);
    assert.deepEqual(explained.answeredBy, { id: decline, name: 'decline 12.34' });
    const [first, second] = explained.candidates;
    assert.deepEqual(first, { ...first, id: decline, matched: true, reasons: [], answered: true });
    assert.deepEqual(second, { ...second, id: wildcard, matched: true, reasons: [], answered: false });
  });

  it('says when a request never reached the rules', async () => {
    await callGateway(app.url, PAY, aPay({ trans_amount: '12.34' }), { key: 'z'.repeat(32) });
    const explained = await explainLast(app);
    assert.equal(explained.reachedRules, false);
    assert.equal(explained.answeredBy, null);
    assert.equal(explained.candidates[0]?.matched, true);
  });
});
