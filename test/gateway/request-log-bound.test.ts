// The request log keeps at most --request-log-max entries at any time after a write, and at most
// --request-log-max-bytes / --request-log-max bytes of raw request, parameters and answer an entry.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { api } from '../helpers/admin-call.js';
import { callGateway, rawRequest } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { loadConfig } from '../../src/config.js';

const MAX = 100;
const MAX_BYTES = 1024 * 1024;
const ENTRY_BYTES = Math.floor(MAX_BYTES / MAX);
const UNKNOWN = 'service=alipay.acquire.overseas.query&partner=2088000000000000';

interface LoggedEntry {
  rawQuery: string;
  rawBody: string;
  params: Array<{ name: string; value: string }>;
  signature: { signString: string } | null;
  responseBody: string;
}

async function logCount(app: TestApp): Promise<number> {
  const res = await api(app.url, 'GET', '/api/requests/count');
  return res.json['count'] as number;
}

async function newestEntry(app: TestApp): Promise<LoggedEntry> {
  const list = await api(app.url, 'GET', '/api/requests?limit=1');
  const [first] = list.json['items'] as Array<{ id: number }>;
  return (await api(app.url, 'GET', `/api/requests/${first!.id}`)).json as unknown as LoggedEntry;
}

function storedBytes(e: LoggedEntry): number {
  const params = e.params.reduce((n, p) => n + Buffer.byteLength(p.name) + Buffer.byteLength(p.value), 0);
  return (
    Buffer.byteLength(e.rawQuery) +
    Buffer.byteLength(e.rawBody) +
    params +
    Buffer.byteLength(e.signature?.signString ?? '') +
    Buffer.byteLength(e.responseBody)
  );
}

describe('the request log bound', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ requestLogMax: MAX, requestLogMaxBytes: MAX_BYTES });
  });
  after(() => app.close());

  it('never stays above its count: 150 requests leave 100 entries, also once idle', async () => {
    for (let i = 0; i < 150; i += 1) await rawRequest(app.url, { path: `/gateway.do?${UNKNOWN}&n=${i}` });
    assert.ok((await logCount(app)) <= MAX, 'right after the requests');
    await sleep(1000);
    assert.equal(await logCount(app), MAX, 'idle');
  });

  it('keeps a 200 KB junk request of an unknown partner within the bytes of one entry', async () => {
    const junk = `${UNKNOWN}&memo=${'x'.repeat(200_000)}`;
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: `/gateway.do?${UNKNOWN}&q=${'y'.repeat(50_000)}`,
      body: junk,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.match(res.text, /ILLEGAL_PARTNER/);
    const entry = await newestEntry(app);
    assert.ok(storedBytes(entry) <= ENTRY_BYTES, `${storedBytes(entry)} bytes kept, at most ${ENTRY_BYTES}`);
    assert.match(
      entry.rawBody,
      /^service=alipay\.acquire\.overseas\.query&partner=2088000000000000&memo=x+…\[\d+ bytes not kept\]$/,
    );
    assert.ok(entry.rawQuery.startsWith(`${UNKNOWN}&q=yyy`), 'the start of the URL is kept');
  });

  it('keeps a normal request whole', async () => {
    const paid = await callGateway(app.url, 'alipay.acquire.overseas.spot.pay', aPay());
    const entry = await newestEntry(app);
    assert.equal(entry.responseBody, paid.text);
    assert.doesNotMatch(JSON.stringify(entry), /not kept/);
  });

  it('refuses a byte bound that leaves less than 2 KiB an entry', () => {
    assert.throws(
      () => loadConfig({ requestLogMax: 100_000, requestLogMaxBytes: 100 * 1024 * 1024 }, {}),
      /--request-log-max-bytes \/ ALIPAY_MOCK_REQUEST_LOG_MAX_BYTES: .*less than 2048 per entry/,
    );
  });
});
