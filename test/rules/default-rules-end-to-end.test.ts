/**
 * Every row of the default-rule table, end to end over real sockets: the request the row's condition
 * describes, the answer (or the transport trouble) the row promises, and what the ledger shows after.
 * Rows are read from DEFAULT_RULES, so a new row is tested without touching this file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import iconv from 'iconv-lite';
import { XMLValidator } from 'fast-xml-parser';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway, parseEnvelope, type Envelope } from '../helpers/gateway-call.js';
import { api } from '../helpers/admin-call.js';
import { aCancel, aPay, aRefund } from '../helpers/builders.js';
import { DEFAULT_RULES, type DefaultRule } from '../../src/rules/default-rules.js';
import type { Delay, StepOutcome } from '../../src/rules/rule-schema.js';
import { buildSignString, md5Sign } from '../../src/protocol/sign.js';
import { encodeForm } from '../../src/protocol/form-encode.js';
import { responseSignString } from '../../src/protocol/envelope.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const CANCEL = 'alipay.acquire.cancel';
const REFUND = 'alipay.acquire.overseas.spot.refund';
const QUERY = 'alipay.acquire.overseas.query';
const { partner: DEMO, md5Key: KEY } = DEMO_MERCHANT;

/** A client gives up on a hanging answer after this long. */
const HANG_TIMEOUT_MS = 300;
/** Delays longer than this are real time this suite does not spend, except for one representative. */
const MAX_DELAY_MS = 2000;
/** The slow row that runs (5 s): it stands for every other slow row. */
const SLOW_REPRESENTATIVE = 'default-pay-9971';

/** What a client observes on one connection. */
type Observed =
  | { kind: 'answer'; status: number; contentType: string; body: Buffer; text: string }
  | { kind: 'timeout' | 'reset' | 'empty' }
  | { kind: 'garbage'; bytes: Buffer }
  | { kind: 'truncated'; declared: number; received: number };

/** Sends one signed GET on a fresh connection (Connection: close) and reports what came back. */
function exchange(url: string, service: string, params: Record<string, string>, timeoutMs: number) {
  const all = { service, partner: DEMO, _input_charset: 'utf-8', ...params };
  const sign = md5Sign(buildSignString(all), KEY, 'UTF-8');
  const query = encodeForm({ ...all, sign, sign_type: 'MD5' }, 'UTF-8');
  const { hostname, port } = new URL(url);
  return new Promise<Observed>((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let reset = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ kind: 'timeout' });
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      reset = err.code === 'ECONNRESET';
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(classify(Buffer.concat(chunks), reset));
    });
    // Written, not ended, as most clients send: the server keeps a half-closed one open too.
    socket.write(`GET /gateway.do?${query} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
  });
}

function classify(bytes: Buffer, reset: boolean): Observed {
  if (bytes.length === 0) return { kind: reset ? 'reset' : 'empty' };
  const end = bytes.indexOf('\r\n\r\n');
  const head = end < 0 ? '' : bytes.subarray(0, end).toString('latin1');
  const status = /^HTTP\/1\.1 (\d{3})/.exec(head);
  if (!status) return { kind: 'garbage', bytes };
  const header = (name: string) => new RegExp(`^${name}: *(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const body = bytes.subarray(end + 4);
  const declared = Number(header('content-length'));
  if (body.length < declared) return { kind: 'truncated', declared, received: body.length };
  return {
    kind: 'answer',
    status: Number(status[1]),
    contentType: header('content-type'),
    body,
    text: iconv.decode(body, 'gbk'),
  };
}

function answerOf(seen: Observed): Observed & { kind: 'answer' } {
  assert.equal(seen.kind, 'answer', `expected an HTTP answer, got ${JSON.stringify(seen).slice(0, 200)}`);
  return seen;
}

function envelopeOf(seen: Observed): Envelope {
  const answer = answerOf(seen);
  assert.equal(answer.status, 200);
  assert.equal(answer.contentType, 'text/xml; charset=GBK');
  assert.equal(XMLValidator.validate(answer.text), true, 'well-formed XML');
  return parseEnvelope(answer.text);
}

/** A request parameter as the answer echoes it. */
function echo(env: Envelope, name: string): string | undefined {
  return env.request.find(([k]) => k === name)?.[1];
}

/** The longest a delay can take; log-normal delays have no bound. */
function longestDelay(delay: Delay | undefined): number {
  if (delay === undefined) return 0;
  if (delay.type === 'fixed') return delay.ms;
  if (delay.type === 'uniform') return delay.maxMs;
  return Infinity;
}

function shortestDelay(delay: Delay | undefined): number {
  if (delay === undefined) return 0;
  return delay.type === 'fixed' ? delay.ms : delay.type === 'uniform' ? delay.minMs : 0;
}

function stepsOf(rule: DefaultRule): StepOutcome[] {
  return rule.then.type === 'sequence' ? rule.then.steps : [rule.then];
}

/** Why this row is not run (its delay costs too much real time), or false. */
function skipReason(rule: DefaultRule): string | false {
  if (rule.service === 'alipay.acquire.precreate' || rule.service === 'alipay.acquire.create')
    return 'the QR services answer detail_error_code: their rows run in test/gateway/qr-orders.test.ts';
  if (rule.service.startsWith('alipay.commerce.qrcode.'))
    return 'their trigger is inside biz_data or a qrcode: rows run in test/gateway/merchant-qr.test.ts';
  const longest = Math.max(...stepsOf(rule).map((s) => longestDelay(s.delay)));
  if (longest <= MAX_DELAY_MS || rule.id === SLOW_REPRESENTATIVE) return false;
  const how =
    longest === Infinity ? 'a log-normal delay has no upper bound' : `a delay of up to ${longest / 1000} s`;
  return `${how}; ${SLOW_REPRESENTATIVE} (normal answer after 5 s) runs for the slow rows`;
}

/** The value that triggers the row: the amount it compares, or its id prefix followed by our own suffix. */
function triggerOf(rule: DefaultRule, n: number): { field: string; value: string } {
  const [c, ...rest] = rule.when;
  assert.equal(rest.length, 0, 'a default rule has one condition');
  assert.ok(c && typeof c.value === 'string', 'the condition compares one value');
  if (c.op === 'eq') return { field: c.field, value: c.value };
  assert.equal(c.op, 'prefix');
  return { field: c.field, value: `${c.value}E${n}` };
}

describe('every default rule row, end to end', { concurrency: 8 }, () => {
  let app: TestApp;
  let n = 0;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  /** The trade's status in the ledger (admin API), or TRADE_NOT_EXIST. */
  async function ledgerStatus(partnerTransId: string): Promise<string> {
    const res = await api(
      app.url,
      'GET',
      `/api/merchants/${DEMO}/trades/${encodeURIComponent(partnerTransId)}`,
    );
    return res.status === 404 ? 'TRADE_NOT_EXIST' : String(res.json.status);
  }

  /**
   * Waits (at most 5 s) until the request log holds `count` requests answered by this rule: a client
   * that timed out cannot tell whether the server got to its request yet, and the ledger is only
   * worth checking once it did. The log is written in batches, hence the wait.
   */
  async function handled(ruleId: string, count: number): Promise<void> {
    const deadline = Date.now() + 5000;
    let seen = 0;
    while (Date.now() < deadline) {
      seen = Number((await api(app.url, 'GET', `/api/requests/count?ruleId=${ruleId}`)).json.count);
      if (seen >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`the request log shows ${seen} of ${count} requests answered by ${ruleId}`);
  }

  /** A pay's status as a gateway query shows it (queries also move pending trades on). */
  async function queried(partnerTransId: string): Promise<string> {
    const { response } = (await callGateway(app.url, QUERY, { partner_trans_id: partnerTransId })).envelope;
    return response.alipay_trans_status ?? response.error ?? '(none)';
  }

  /** Checks one answer against the step that should have produced it. */
  function expectStep(service: string, step: StepOutcome, seen: Observed, elapsedMs: number): void {
    switch (step.type) {
      case 'business': {
        const env = envelopeOf(seen);
        assert.equal(env.isSuccess, 'T');
        assert.equal(env.response.result_code, step.result_code);
        assert.equal(env.response.error, step.error);
        if (service === CANCEL) {
          assert.equal(env.response.retry_flag, step.fields?.retry_flag);
          assert.equal(env.response.out_trade_no, echo(env, 'out_trade_no'));
        }
        return;
      }
      case 'gateway_error': {
        const env = envelopeOf(seen);
        assert.deepEqual([env.isSuccess, env.error], ['F', step.code]);
        return;
      }
      case 'broken':
        return expectBroken(step.kind, step.status ?? 502, seen);
      case 'fault':
        if (step.fault !== 'delay') {
          const observed = {
            hang: 'timeout',
            reset: 'reset',
            empty: 'empty',
            garbage: 'garbage',
            truncate: 'truncated',
          };
          assert.equal(seen.kind, observed[step.fault]);
          return;
        }
        assert.ok(elapsedMs >= shortestDelay(step.delay), `answered after ${elapsedMs} ms`);
        return expectNormal(service, seen);
      case 'normal':
        return expectNormal(service, seen);
    }
  }

  function expectBroken(kind: string, status: number, seen: Observed): void {
    const answer = answerOf(seen);
    if (kind === 'html_error') {
      assert.equal(answer.status, status);
      assert.match(answer.contentType, /^text\/html/);
      assert.match(answer.text, /^<html>/);
    } else if (kind === 'malformed_xml') {
      assert.equal(answer.status, 200);
      assert.notEqual(XMLValidator.validate(answer.text), true, 'the XML must not parse');
    } else if (kind === 'wrong_charset') {
      assert.equal(answer.contentType, 'text/xml; charset=UTF-8');
      assert.match(answer.text, /^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    } else {
      const env = parseEnvelope(answer.text);
      assert.equal(env.response.result_code, 'SUCCESS');
      assert.notEqual(env.sign, md5Sign(responseSignString(env.response), KEY, 'UTF-8'));
    }
  }

  function expectNormal(service: string, seen: Observed): void {
    const env = envelopeOf(seen);
    assert.equal(env.isSuccess, 'T');
    assert.equal(env.response.result_code, 'SUCCESS', `normal answer, got ${env.response.error ?? ''}`);
    assert.equal(
      env.sign,
      md5Sign(responseSignString(env.response), KEY, 'UTF-8'),
      'a normal answer verifies',
    );
    if (service === QUERY) assert.equal(env.response.alipay_trans_status, 'TRADE_SUCCESS');
  }

  /** What the ledger must show for a pay after this step. */
  async function expectPayLedger(step: StepOutcome, id: string): Promise<void> {
    const effect = 'effect' in step ? step.effect : undefined;
    if (step.type === 'business' && effect === 'pending' && step.resolve) {
      assert.equal(await queried(id), 'WAIT_BUYER_PAY');
      assert.equal(step.resolve.afterQueries, 2, 'this check asks twice');
      assert.equal(await queried(id), step.resolve.to === 'paid' ? 'TRADE_SUCCESS' : 'TRADE_CLOSED');
      return;
    }
    const runsNormally =
      step.type === 'normal' ||
      (step.type === 'fault' && (step.fault === 'delay' || step.fault === 'truncate'));
    const paid = runsNormally || effect === 'create_trade';
    assert.equal(await queried(id), paid ? 'TRADE_SUCCESS' : 'TRADE_NOT_EXIST');
  }

  /** What the ledger must show for the paid trade a cancel, refund or query row was sent about. */
  async function expectTradeLedger(service: string, step: StepOutcome, tradeId: string): Promise<void> {
    const changes = step.type === 'normal' || (step.type === 'fault' && step.fault === 'delay');
    const closes = changes && service !== QUERY;
    assert.equal(await ledgerStatus(tradeId), closes ? 'TRADE_CLOSED' : 'TRADE_SUCCESS');
  }

  /** The request the row's trigger describes, for a trade paid beforehand where the service needs one. */
  async function requestFor(rule: DefaultRule, trigger: { field: string; value: string }) {
    if (rule.service === PAY) {
      const params = aPay({ [trigger.field]: trigger.value, partner_trans_id: `D${++n}` });
      return { params, tradeId: params.partner_trans_id! };
    }
    // Spot pay ignores the MOCK_ prefixes, so the trade a cancel or query names can carry one.
    const tradeId = rule.service === REFUND ? `D${++n}` : trigger.value;
    const paid = await callGateway(app.url, PAY, aPay({ partner_trans_id: tradeId, trans_amount: '10.00' }));
    assert.equal(paid.envelope.response.result_code, 'SUCCESS');
    if (rule.service === CANCEL) return { params: aCancel(tradeId), tradeId };
    if (rule.service === REFUND)
      return {
        params: aRefund(tradeId, { [trigger.field]: trigger.value, refund_amount: '10.00' }),
        tradeId,
      };
    return { params: { partner_trans_id: tradeId }, tradeId };
  }

  it('a normal pay answer verifies with the check the 9961 row must fail', async () => {
    expectNormal(PAY, await exchange(app.url, PAY, aPay({ partner_trans_id: `D${++n}` }), 5000));
  });

  for (const rule of DEFAULT_RULES) {
    it(`${rule.id}: ${rule.name}`, { skip: skipReason(rule) }, async () => {
      const { params, tradeId } = await requestFor(rule, triggerOf(rule, ++n));
      // A sequence answers the same request sent again (a client's retry) with its next step.
      for (const [i, step] of stepsOf(rule).entries()) {
        const hangs = step.type === 'fault' && step.fault === 'hang';
        const started = Date.now();
        const seen = await exchange(app.url, rule.service, params, hangs ? HANG_TIMEOUT_MS : 10_000);
        expectStep(rule.service, step, seen, Date.now() - started);
        if (hangs) await handled(rule.id, i + 1);
        if (rule.service === PAY) await expectPayLedger(step, tradeId);
        else await expectTradeLedger(rule.service, step, tradeId);
      }
    });
  }
});
