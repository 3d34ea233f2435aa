/**
 * The server log of a real `serve` process: one JSON object a line, gateway failures with the request
 * id, and never a secret (MD5 key, admin token, API key, cookie value).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { apiWith } from '../helpers/admin-call.js';
import { aPay, aRefund } from '../helpers/builders.js';
import { encodeForm } from '../../src/protocol/form-encode.js';
import { buildSignString, md5Sign } from '../../src/protocol/sign.js';
import { callGateway, parseEnvelope, rawRequest } from '../helpers/gateway-call.js';
import { sharedSqliteFile, spawnSandbox, type SandboxProcess } from '../helpers/sandbox-process.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const REFUND = 'alipay.acquire.overseas.spot.refund';

describe('server log', { timeout: 120_000 }, () => {
  const adminToken = `admin-${randomBytes(12).toString('hex')}`;
  const md5Key = randomBytes(16).toString('hex');
  const cookie = `am_session=${randomBytes(16).toString('hex')}`;
  const partner = `2088${String(Date.now()).slice(-12)}`;
  let shared: Awaited<ReturnType<typeof sharedSqliteFile>>;
  let sandbox: SandboxProcess;

  before(async () => {
    shared = await sharedSqliteFile();
    sandbox = await spawnSandbox([...shared.args, '--log-level', 'info', '--admin-token', adminToken]);
    const created = await apiWith(adminToken, sandbox.url, 'POST', '/api/merchants', { partner, md5Key });
    assert.equal(created.status, 201, JSON.stringify(created.json));
  });
  after(async () => {
    await sandbox?.kill();
    await shared?.remove();
  });

  it('logs a gateway failure with its request id (the proxy’s X-Request-Id when given) and no secret', async () => {
    const pay = aPay({ alipay_seller_id: partner });
    const paid = await callGateway(sandbox.url, PAY, pay, { partner, key: md5Key });
    assert.equal(paid.envelope.response.result_code, 'SUCCESS');
    await callGateway(sandbox.url, PAY, aPay(), { partner, key: 'f'.repeat(32) });
    await rawRequest(sandbox.url, {
      path: '/api/merchants',
      headers: { authorization: `Bearer ${adminToken}`, cookie },
    });
    await rawRequest(sandbox.url, {
      path: '/api/nothing-here',
      headers: { authorization: `Bearer ${adminToken}`, cookie },
    });

    // Take the refunds table away under the running server: the next refund fails inside the store.
    const db = new Database(shared.path);
    db.pragma('busy_timeout = 5000');
    db.exec('drop table refunds');
    db.close();
    const refund = aRefund(pay.partner_trans_id!);
    const failed = await callGatewayWithHeaders(sandbox.url, refund, { partner, key: md5Key });
    assert.equal(failed.envelope.error, 'SYSTEM_ERROR');

    let line: Record<string, unknown> | undefined;
    for (let i = 0; i < 100 && line === undefined; i++) {
      line = sandbox.logLines().find((l) => l.msg === 'gateway request failed');
      if (line === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(line, `the failure is logged; stdout:\n${sandbox.stdout()}`);
    assert.equal(line.level, 50);
    assert.equal(line.reqId, 'trace-4711');
    assert.match(String((line.err as { message?: unknown }).message), /refunds/);

    const out = sandbox.stdout() + sandbox.stderr();
    for (const secret of [adminToken, md5Key, cookie.split('=')[1]!])
      assert.ok(!out.includes(secret), 'a secret was logged');
    for (const l of out.split('\n').filter((x) => x.startsWith('{')))
      assert.doesNotThrow(() => JSON.parse(l));
  });
});

/** A signed GET of a refund carrying a proxy's `X-Request-Id` header. */
async function callGatewayWithHeaders(
  url: string,
  params: Record<string, string>,
  opts: { partner: string; key: string },
) {
  const all = { service: REFUND, partner: opts.partner, _input_charset: 'utf-8', ...params };
  const sign = md5Sign(buildSignString(all), opts.key, 'UTF-8');
  const res = await rawRequest(url, {
    path: `/gateway.do?${encodeForm({ ...all, sign, sign_type: 'MD5' }, 'UTF-8')}`,
    headers: { 'x-request-id': 'trace-4711' },
  });
  return { ...res, envelope: parseEnvelope(res.text) };
}
