// Behind a TLS proxy the console's session cookie is Secure when --trust-proxy believes the proxy's
// X-Forwarded-Proto: https, and never because a client that is not a trusted proxy says so.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { consoleRequest, cookieValue, loginForm } from '../helpers/console-client.js';
import { DEMO_CONSOLE_LOGINS } from '../../src/demo-accounts.js';

const DEMO = DEMO_CONSOLE_LOGINS[0]!;

/** The session cookie a sign-in through a proxy that terminated TLS sets. */
async function sessionCookieViaTls(app: TestApp): Promise<string> {
  const form = await loginForm(app.url);
  const res = await consoleRequest(app.url, '/login', {
    cookie: form.cookie,
    form: { _csrf: form.token, email: DEMO.email, password: DEMO.password },
    headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
  });
  assert.equal(res.status, 303);
  assert.ok(cookieValue(res.setCookies, 'amock_session'));
  return res.setCookies.find((c) => c.startsWith('amock_session='))!;
}

for (const [setting, secure] of [
  ['127.0.0.1', true],
  ['true', true],
  ['false', false],
  ['10.9.9.9/32', false],
] as const) {
  describe(`--trust-proxy ${setting}`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ trustProxy: setting });
    });
    after(() => app.close());

    it(`${secure ? 'makes' : 'does not make'} the session cookie Secure for X-Forwarded-Proto: https`, async () => {
      const cookie = await sessionCookieViaTls(app);
      if (secure) assert.match(cookie, /; Secure$/);
      else assert.doesNotMatch(cookie, /Secure/);
    });
  });
}
