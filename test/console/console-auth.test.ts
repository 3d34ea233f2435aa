import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_CONSOLE_LOGINS, DEMO_HK_MERCHANT, DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import {
  consoleRequest,
  cookieValue,
  loginForm,
  postLogin,
  signIn,
  signInOperator,
} from '../helpers/console-client.js';

const DEMO = DEMO_CONSOLE_LOGINS[0]!;
const HK = DEMO_CONSOLE_LOGINS[1]!;
const DEMO_HOME = `/m/${DEMO_MERCHANT.partner}`;

describe('console sign-in', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  test('the documented demo login works and sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const res = await postLogin(app.url, DEMO.email, DEMO.password);
    assert.equal(res.status, 303);
    assert.equal(res.location, DEMO_HOME);
    const cookie = res.setCookies.find((c) => c.startsWith('amock_session='));
    assert.match(
      cookie ?? '',
      /^amock_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/,
    );
    const home = await consoleRequest(app.url, DEMO_HOME, { cookie: cookie!.split(';')[0] });
    assert.equal(home.status, 200);
    assert.match(home.text, /<h1>Overview<\/h1>/);
  });

  test('a wrong password and an unknown email get the same refusal, and no session', async () => {
    const wrong = await postLogin(app.url, DEMO.email, 'not-the-password');
    const unknown = await postLogin(app.url, 'nobody@example.test', 'whatever1');
    for (const res of [wrong, unknown]) {
      assert.equal(res.status, 401);
      assert.match(res.text, /That email and password do not match a console login\./);
      assert.equal(cookieValue(res.setCookies, 'amock_session'), undefined);
    }
  });

  test('pages need a session: a visitor is sent to sign in, and back afterwards', async () => {
    const res = await consoleRequest(app.url, `${DEMO_HOME}/rules`);
    assert.equal(res.status, 303);
    assert.equal(res.location, `/login?next=${encodeURIComponent(`${DEMO_HOME}/rules`)}`);
    const form = await loginForm(app.url);
    const signedIn = await consoleRequest(app.url, '/login', {
      cookie: form.cookie,
      form: { _csrf: form.token, email: DEMO.email, password: DEMO.password, next: `${DEMO_HOME}/rules` },
    });
    assert.equal(signedIn.location, `${DEMO_HOME}/rules`);
  });

  test('a next= pointing elsewhere is ignored', async () => {
    const form = await loginForm(app.url);
    for (const next of ['//evil.test/x', 'https://evil.test/', '/\\evil.test']) {
      const res = await consoleRequest(app.url, '/login', {
        cookie: form.cookie,
        form: { _csrf: form.token, email: DEMO.email, password: DEMO.password, next },
      });
      assert.equal(res.location, DEMO_HOME, next);
    }
  });

  test('sign-in gives a new session id: a session id planted before sign-in is never kept (no fixation)', async () => {
    // The attacker's own valid session, planted in the victim's browser…
    const attacker = await signIn(app.url, HK.email, HK.password);
    const planted = attacker.cookie.split('=')[1]!;
    // …and the victim signs in with it present.
    const res = await postLogin(app.url, DEMO.email, DEMO.password, attacker.cookie);
    const fresh = cookieValue(res.setCookies, 'amock_session');
    assert.ok(fresh);
    assert.notEqual(fresh, planted);
    // The planted id opens nothing any more, and the victim's new one is not the attacker's.
    const withPlanted = await consoleRequest(app.url, `/m/${DEMO_HK_MERCHANT.partner}`, {
      cookie: attacker.cookie,
    });
    assert.equal(withPlanted.status, 303);
    assert.match(withPlanted.location ?? '', /^\/login/);
  });

  test('an invented session id is no session', async () => {
    const res = await consoleRequest(app.url, DEMO_HOME, { cookie: `amock_session=${'A'.repeat(43)}` });
    assert.equal(res.status, 303);
    assert.match(res.location ?? '', /^\/login/);
  });

  test('sign-out ends the session on the server, not only in the browser', async () => {
    const s = await signIn(app.url, DEMO.email, DEMO.password);
    const out = await consoleRequest(app.url, '/logout', { cookie: s.cookie, form: { _csrf: s.csrf } });
    assert.equal(out.status, 303);
    assert.match(out.setCookies.join(), /amock_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0/);
    const again = await consoleRequest(app.url, DEMO_HOME, { cookie: s.cookie });
    assert.equal(again.status, 303);
  });
});

describe('console CSRF protection', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const switchOff = (cookie: string, form: Record<string, string>, headers?: Record<string, string>) =>
    consoleRequest(app.url, `${DEMO_HOME}/default-rules/default-pay-9902`, {
      cookie,
      form: { enabled: 'false', tab: 'pay', ...form },
      headers,
    });
  const isOff = async () =>
    (await app.store.listDisabledDefaultRules(DEMO_MERCHANT.partner)).includes('default-pay-9902');

  test('a POST without the CSRF token, or with another one, is refused and changes nothing', async () => {
    const s = await signIn(app.url, DEMO.email, DEMO.password);
    const other = await signIn(app.url, DEMO.email, DEMO.password);
    const forms: Array<Record<string, string>> = [
      {},
      { _csrf: '' },
      { _csrf: other.csrf },
      { _csrf: `${s.csrf}x` },
    ];
    for (const form of forms) {
      const res = await switchOff(s.cookie, form);
      assert.equal(res.status, 403, JSON.stringify(form));
      assert.match(res.text, /nothing was changed/);
    }
    assert.equal(await isOff(), false);
  });

  test('a POST from another origin is refused even with the right token', async () => {
    const s = await signIn(app.url, DEMO.email, DEMO.password);
    for (const headers of [{ origin: 'http://evil.test' }, { origin: 'null' }]) {
      assert.equal((await switchOff(s.cookie, { _csrf: s.csrf }, headers)).status, 403);
    }
    const noOrigin = await switchOff(
      s.cookie,
      { _csrf: s.csrf },
      { origin: '', 'sec-fetch-site': 'cross-site' },
    );
    assert.equal(noOrigin.status, 403);
    assert.equal(await isOff(), false);
  });

  test('the same POST from the console with its token goes through', async () => {
    const s = await signIn(app.url, DEMO.email, DEMO.password);
    const res = await switchOff(s.cookie, { _csrf: s.csrf });
    assert.equal(res.status, 303);
    assert.equal(await isOff(), true);
  });

  test('sign-in itself needs the token of its form (no login CSRF)', async () => {
    const form = await loginForm(app.url);
    const without = await consoleRequest(app.url, '/login', {
      cookie: form.cookie,
      form: { email: DEMO.email, password: DEMO.password },
    });
    const noCookie = await consoleRequest(app.url, '/login', {
      form: { _csrf: form.token, email: DEMO.email, password: DEMO.password },
    });
    for (const res of [without, noCookie]) {
      assert.equal(res.status, 403);
      assert.equal(cookieValue(res.setCookies, 'amock_session'), undefined);
    }
  });
});

describe('console sign-in rate limit', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  test('after 5 failed attempts in a minute even the right password waits, then works again', async () => {
    for (let i = 0; i < 5; i += 1) {
      assert.equal((await postLogin(app.url, HK.email, `wrong-${i}`)).status, 401);
    }
    const limited = await postLogin(app.url, HK.email, HK.password);
    assert.equal(limited.status, 429);
    assert.match(limited.text, /Too many sign-in attempts/);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal(cookieValue(limited.setCookies, 'amock_session'), undefined);
    // The limit is per IP too: another email from the same address waits as well.
    assert.equal((await postLogin(app.url, DEMO.email, DEMO.password)).status, 429);
    app.clock.advance(61_000);
    assert.equal((await postLogin(app.url, HK.email, HK.password)).status, 303);
  });

  test('successful sign-ins do not use up the allowance', async () => {
    app.clock.advance(61_000);
    for (let i = 0; i < 8; i += 1)
      assert.equal((await postLogin(app.url, DEMO.email, DEMO.password)).status, 303);
  });
});

describe('operator sign-in', () => {
  test('without an admin token: from loopback with the field empty, and the operator sees every merchant', async () => {
    const app = await startTestApp();
    try {
      const s = await signInOperator(app.url);
      const list = await consoleRequest(app.url, '/operator', { cookie: s.cookie });
      assert.match(list.text, new RegExp(DEMO_MERCHANT.partner));
      assert.match(list.text, new RegExp(DEMO_HK_MERCHANT.partner));
      for (const partner of [DEMO_MERCHANT.partner, DEMO_HK_MERCHANT.partner]) {
        assert.equal((await consoleRequest(app.url, `/m/${partner}`, { cookie: s.cookie })).status, 200);
      }
      const form = await loginForm(app.url);
      const typed = await consoleRequest(app.url, '/login/operator', {
        cookie: form.cookie,
        form: { _csrf: form.token, token: 'something' },
      });
      assert.equal(typed.status, 401);
    } finally {
      await app.close();
    }
  });

  test('with an admin token: only that token, and a merchant session never opens the admin API', async () => {
    const app = await startTestApp({ adminToken: 'operator-secret-1' });
    try {
      const form = await loginForm(app.url);
      const wrong = await consoleRequest(app.url, '/login/operator', {
        cookie: form.cookie,
        form: { _csrf: form.token, token: '' },
      });
      assert.equal(wrong.status, 401);
      const s = await signInOperator(app.url, 'operator-secret-1');
      assert.equal(
        (await consoleRequest(app.url, `/m/${DEMO_HK_MERCHANT.partner}`, { cookie: s.cookie })).status,
        200,
      );
      const merchant = await signIn(app.url, DEMO.email, DEMO.password);
      const api = await consoleRequest(app.url, '/api/merchants', { cookie: merchant.cookie });
      assert.equal(api.status, 401);
    } finally {
      await app.close();
    }
  });
});
