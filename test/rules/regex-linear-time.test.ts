import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { MAX_REGEX_INPUT } from '../../src/rules/linear-regex.js';
import { api } from '../helpers/admin-call.js';
import { aPay } from '../helpers/builders.js';
import { callGateway } from '../helpers/gateway-call.js';
import { spawnSandbox, type SandboxProcess } from '../helpers/sandbox-process.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
/** With a backtracking engine this pattern tries 2^40 ways to split the name before failing. */
const CATASTROPHIC = '^(a+)+$';
const EVIL_NAME = `${'a'.repeat(40)}b`;
/** "Does it answer at all": far beyond any normal answer, far below 2^40 steps of backtracking. */
const ANSWERS_WITHIN_MS = 15_000;

async function answered(url: string): Promise<number | 'no answer'> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(ANSWERS_WITHIN_MS) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 'no answer';
  }
}

async function addRule(base: string, when: unknown[]) {
  return api(base, 'POST', '/api/rules', {
    partner: DEMO_MERCHANT.partner,
    service: PAY,
    name: 'regex',
    when,
    then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
  });
}

async function logEntryOf(base: string, partnerTransId: string): Promise<number> {
  // The request log is written in batches: poll until the entry is there.
  for (let i = 0; i < 100; i++) {
    const list = await api(base, 'GET', `/api/requests?partner=${DEMO_MERCHANT.partner}&limit=20`);
    const items = list.json['items'] as Array<Record<string, unknown>>;
    const entry = items.find((e) => JSON.stringify(e).includes(partnerTransId));
    if (entry) return entry['id'] as number;
    await sleep(50);
  }
  throw new Error(`no request log entry for ${partnerTransId}`);
}

describe('regex conditions run in linear time', () => {
  let sandbox: SandboxProcess;
  before(async () => {
    // A process of its own: a stalled event loop in the test process would stall the test runner too.
    // A log of 1000 entries keeps each whole (1 MiB an entry), so explain sees the long field as sent.
    sandbox = await spawnSandbox(['--db', 'sqlite::memory:', '--request-log-max', '1000']);
  });
  after(async () => {
    await sandbox.kill();
  });

  it('a catastrophic pattern neither stalls the request, /healthz nor explain', async () => {
    const rule = await addRule(sandbox.url, [{ field: 'trans_name', op: 'regex', value: CATASTROPHIC }]);
    assert.equal(rule.status, 201, JSON.stringify(rule.json));
    const pay = aPay({ trans_name: EVIL_NAME });
    const paying = callGateway(sandbox.url, PAY, pay);
    paying.catch(() => undefined); // awaited below, unless /healthz already failed the test
    await sleep(20);
    assert.equal(await answered(`${sandbox.url}/healthz`), 200);
    const paid = await paying;
    assert.equal(paid.envelope.response.result_code, 'SUCCESS', 'the name does not match ^(a+)+$');

    const id = await logEntryOf(sandbox.url, pay['partner_trans_id'] ?? '');
    const explained = await answered(`${sandbox.url}/api/requests/${id}/explain`);
    assert.equal(explained, 200);

    const matching = await callGateway(sandbox.url, PAY, aPay({ trans_name: 'a'.repeat(40) }));
    assert.equal(matching.envelope.response.error, 'BUYER_BALANCE_NOT_ENOUGH');
  });

  it('a field longer than the regex input bound never matches, and explain says why', async () => {
    const rule = await addRule(sandbox.url, [{ field: 'x_note', op: 'regex', value: '^x+$' }]);
    assert.equal(rule.status, 201);
    const pay = aPay({ x_note: 'x'.repeat(MAX_REGEX_INPUT + 1) });
    const paid = await callGateway(sandbox.url, PAY, pay);
    assert.equal(paid.envelope.response.result_code, 'SUCCESS');
    const id = await logEntryOf(sandbox.url, pay['partner_trans_id'] ?? '');
    const res = await api(sandbox.url, 'GET', `/api/requests/${id}/explain`);
    const reasons = JSON.stringify(res.json['candidates']);
    assert.match(reasons, new RegExp(`a regex examines at most ${MAX_REGEX_INPUT}`));
  });

  it('syntax a linear-time engine cannot run, and patterns too large, are refused as problem+json', async () => {
    for (const value of ['(a)\\1', '(?=a)b', '(\\w{100}){3}']) {
      const res = await addRule(sandbox.url, [{ field: 'trans_name', op: 'regex', value }]);
      assert.equal(res.status, 400, value);
      assert.match(res.contentType ?? '', /^application\/problem\+json/);
      assert.equal(res.json['code'], 'invalid_request');
      assert.match(
        String(res.json['detail']),
        /when\[0\]\.value: not a valid regular expression \(RE2 syntax\)/,
      );
    }
  });
});
