// Wrong admin tokens (and unknown API keys) are throttled per address like the console's sign-in:
// a guesser gets 429 with Retry-After, and while blocked even the right token is refused unchecked.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { apiWith } from '../helpers/admin-call.js';
import { LOGIN_WINDOW_MS } from '../../src/ops/login-rate-limit.js';

const TOKEN = 'the-right-admin-token';

describe('admin token guesses', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ adminToken: TOKEN });
  });
  after(() => app.close());

  it('lead to 429 problem+json with Retry-After, then the right token waits too', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof apiWith>> | undefined;
    for (let i = 0; i < 50; i += 1) {
      last = await apiWith(`guess-${i}-xxxxxxxx`, app.url, 'GET', '/api/merchants');
      statuses.push(last.status);
    }
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    assert.ok(
      statuses.slice(5).every((s) => s === 429),
      statuses.join(' '),
    );
    assert.equal(last?.contentType, 'application/problem+json; charset=utf-8');
    assert.equal(last?.json['code'], 'too_many_requests');
    const res = await fetch(`${app.url}/api/merchants`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 429, 'the right token is not checked while blocked');
    const retryAfter = Number(res.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    await res.text();
  });

  it('count unknown API keys too, and pass once the window is over', async () => {
    app.clock.advance(LOGIN_WINDOW_MS);
    const ok = await apiWith(TOKEN, app.url, 'GET', '/api/merchants');
    assert.equal(ok.status, 200, 'a new window');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      statuses.push((await apiWith(`amk_${'0'.repeat(31)}${i}`, app.url, 'GET', '/api/merchants')).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
  });
});
