// Hang and delay rules hold a request's connection open. A client that gives up and closes must get
// that connection freed at once (a POS suite rehearsing timeouts leaves hundreds), while a client that
// only half-closed still gets its answer; and the held connections are bounded per merchant and in all.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process.js';
import { callGateway, signedForm, type CallOptions } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { socketExchange } from '../helpers/raw-socket.js';
import { DEMO_HK_MERCHANT, DEMO_MERCHANT } from '../../src/demo-accounts.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const HK: CallOptions = { partner: DEMO_HK_MERCHANT.partner, key: DEMO_HK_MERCHANT.md5Key };

/** A GET of a spot pay that default rule 9948 leaves unanswered. */
function hangRequest(opts: CallOptions = {}): string {
  const currency = opts.partner === DEMO_HK_MERCHANT.partner ? 'HKD' : 'USD';
  const seller = opts.partner ?? DEMO_MERCHANT.partner;
  const form = signedForm(PAY, aPay({ trans_amount: '9948', currency, alipay_seller_id: seller }), opts);
  return `GET /gateway.do?${form} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
}

/** Opens a connection, sends the request and collects what comes back, leaving the socket open. */
function openRequest(baseUrl: string, request: string): { socket: Socket; received: () => string } {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => {});
  socket.write(request);
  return { socket, received: () => Buffer.concat(chunks).toString('latin1') };
}

async function openDescriptors(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

describe('clients that give up on a hang rule', () => {
  let serve: ServeProcess;
  before(async () => {
    serve = await startServeProcess([
      '--max-held-connections',
      '1000',
      '--max-held-connections-per-merchant',
      '1000',
    ]);
  });
  after(() => serve.stop());

  it('leave no descriptor behind: 300 abandoned requests are freed within 5 s', async () => {
    // One answered and logged request first, so that what is opened lazily (the log's file) is in the baseline.
    await callGateway(serve.url, PAY, aPay());
    await sleep(1000);
    const baseline = await openDescriptors(serve.pid);
    const clients = Array.from({ length: 300 }, () => openRequest(serve.url, hangRequest()));
    let held = baseline;
    for (let i = 0; i < 50 && held < baseline + 290; i += 1) {
      await sleep(100);
      held = await openDescriptors(serve.pid);
    }
    assert.ok(
      held >= baseline + 290,
      `the sandbox holds the requests: ${held} descriptors, ${baseline} before`,
    );
    assert.ok(
      clients.every((c) => c.received() === ''),
      'a hang rule answers nothing',
    );
    for (const c of clients) c.socket.destroy();
    let open = held;
    for (let i = 0; i < 50 && open > baseline + 2; i += 1) {
      await sleep(100);
      open = await openDescriptors(serve.pid);
    }
    assert.ok(open <= baseline + 2, `5 s after the clients left: ${open} descriptors, ${baseline} before`);
  });
});

describe('held connections', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ maxHeldConnections: 3, maxHeldConnectionsPerMerchant: 2 });
  });
  after(() => app.close());

  it('are bounded per merchant and in all, answered like an overloaded gateway beyond', async () => {
    const demo = [openRequest(app.url, hangRequest()), openRequest(app.url, hangRequest())];
    const hk = openRequest(app.url, hangRequest(HK));
    await sleep(300);
    const third = await callGateway(app.url, PAY, aPay({ trans_amount: '9948' }));
    assert.equal(third.envelope.isSuccess, 'F');
    assert.equal(third.envelope.error, 'SYSTEM_ERROR', 'the merchant has its two');
    const hkPay = aPay({ trans_amount: '9948', currency: 'HKD', alipay_seller_id: DEMO_HK_MERCHANT.partner });
    const fourth = await callGateway(app.url, PAY, hkPay, HK);
    assert.equal(fourth.envelope.error, 'SYSTEM_ERROR', 'the sandbox has its three');
    const others = await callGateway(app.url, PAY, aPay({ trans_amount: '1.00' }));
    assert.equal(others.envelope.response['result_code'], 'SUCCESS', 'requests that do not wait go on');
    assert.ok(
      [...demo, hk].every((c) => c.received() === ''),
      'the held ones are still held',
    );

    for (const c of demo) c.socket.destroy();
    await sleep(300);
    const again = openRequest(app.url, hangRequest());
    await sleep(500);
    assert.equal(again.received(), '', 'a place freed by a client that left is taken again');
    again.socket.destroy();
    hk.socket.destroy();
    await sleep(300);
  });

  it('keep a half-closed client: it gets an interim 102 and the connection stays open', async () => {
    const reply = await socketExchange(app.url, hangRequest(), 1500);
    assert.equal(reply.closed, false, 'still held when the client gave up after 1.5 s');
    assert.equal(reply.bytes.toString('latin1'), 'HTTP/1.1 102 Processing\r\n\r\n');
  });

  it('let a client that left during a delay go, and the payment still goes through', async () => {
    const partnerTransId = `P${Date.now()}late`;
    const form = signedForm(PAY, aPay({ trans_amount: '9971', partner_trans_id: partnerTransId }));
    const client = openRequest(app.url, `GET /gateway.do?${form} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await sleep(200);
    client.socket.destroy();
    // The delay (5 s) still runs to its end and pays, as a slow gateway would; the client queries.
    await sleep(5500);
    const query = await callGateway(app.url, 'alipay.acquire.overseas.query', {
      partner_trans_id: partnerTransId,
    });
    assert.equal(query.envelope.response['alipay_trans_status'], 'TRADE_SUCCESS');
  });
});
