import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_CONSOLE_LOGINS, DEMO_HK_MERCHANT, DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { consoleRequest, signIn, type ConsoleSessionCookies } from '../helpers/console-client.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { api } from '../helpers/admin-call.js';

const A = DEMO_MERCHANT;
const B = DEMO_HK_MERCHANT;
const PAY = 'alipay.acquire.overseas.spot.pay';

describe('a merchant sees and changes only its own data', () => {
  let app: TestApp;
  let a: ConsoleSessionCookies;
  let bRuleId: string;
  let bLogId: number;
  let bTradeId: string;

  before(async () => {
    app = await startTestApp();
    a = await signIn(app.url, DEMO_CONSOLE_LOGINS[0]!.email, DEMO_CONSOLE_LOGINS[0]!.password);
    const rule = await api(app.url, 'POST', '/api/rules', {
      partner: B.partner,
      service: PAY,
      name: 'B secret rule',
      when: [{ field: 'trans_amount', op: 'eq', value: '55.55' }],
      then: { type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR' },
    });
    bRuleId = String(rule.json['id']);
    const paid = await callGateway(
      app.url,
      PAY,
      aPay({ alipay_seller_id: B.partner, currency: 'HKD', partner_trans_id: 'B-ORDER-1' }),
      { partner: B.partner, key: B.md5Key },
    );
    bTradeId = paid.envelope.response['alipay_trans_id'] ?? '';
    assert.ok(bTradeId);
    await app.app.inject({ method: 'GET', url: '/api/requests' }); // flushes the request log
    const [entry] = await app.store.listRequestLog({ partner: B.partner, limit: 1 });
    bLogId = entry!.id;
  });
  after(() => app.close());

  test("another merchant's pages answer 404, by URL, exactly like a merchant that does not exist", async () => {
    for (const path of [
      '',
      '/',
      '/buyers',
      '/rules',
      '/rules/new',
      '/requests',
      '/trades',
      '/try',
      `/trades/${bTradeId}`,
    ]) {
      const res = await consoleRequest(app.url, `/m/${B.partner}${path}`, { cookie: a.cookie });
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.text, new RegExp(B.md5Key));
      const missing = await consoleRequest(app.url, `/m/2088999999999999${path}`, { cookie: a.cookie });
      assert.equal(missing.status, 404);
    }
  });

  test("another merchant's JSON (the live log) answers 404", async () => {
    const res = await consoleRequest(app.url, `/m/${B.partner}/requests.json`, { cookie: a.cookie });
    assert.equal(res.status, 404);
    assert.deepEqual(JSON.parse(res.text), { error: 'not_found' });
    const own = await consoleRequest(app.url, `/m/${A.partner}/requests.json?after=0`, { cookie: a.cookie });
    assert.equal(own.status, 200);
    assert.doesNotMatch(own.text, /B-ORDER-1/);
  });

  test("another merchant's log entry, rule and trade are not reachable under one's own merchant path", async () => {
    for (const path of [
      `/requests/${bLogId}`,
      `/rules/${bRuleId}/edit`,
      `/trades/${bTradeId}`,
      '/trades/B-ORDER-1',
    ]) {
      const res = await consoleRequest(app.url, `/m/${A.partner}${path}`, { cookie: a.cookie });
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.text, /B secret rule|B-ORDER-1/);
    }
  });

  test("another merchant's rule cannot be changed, and its default-rule switches stay its own", async () => {
    for (const action of ['toggle', 'delete', 'duplicate', 'move', 'reset', 'edit']) {
      const res = await consoleRequest(app.url, `/m/${A.partner}/rules/${bRuleId}/${action}`, {
        cookie: a.cookie,
        form: { _csrf: a.csrf, enabled: 'false', dir: 'up', name: 'hijacked' },
      });
      assert.equal(res.status, 404, action);
    }
    const rule = await app.store.getRule(bRuleId);
    assert.equal(rule?.enabled, true);
    assert.equal(rule?.name, 'B secret rule');
    const res = await consoleRequest(app.url, `/m/${B.partner}/default-rules/default-pay-9901`, {
      cookie: a.cookie,
      form: { _csrf: a.csrf, enabled: 'false' },
    });
    assert.equal(res.status, 404);
    assert.deepEqual(await app.store.listDisabledDefaultRules(B.partner), []);
  });

  test("no page, list or export of merchant A shows merchant B's keys, rules or requests", async () => {
    const pages = [
      '',
      '/buyers',
      '/rules',
      '/rules?service=query',
      '/rules/new',
      '/requests',
      '/requests.json',
      '/trades',
      '/try',
      '/rules/export?format=json',
      '/rules/export?format=yaml',
    ];
    const texts = await Promise.all(
      pages.map(
        async (p) => (await consoleRequest(app.url, `/m/${A.partner}${p}`, { cookie: a.cookie })).text,
      ),
    );
    const revealed = await consoleRequest(app.url, `/m/${A.partner}/keys/md5`, {
      cookie: a.cookie,
      form: { _csrf: a.csrf },
    });
    assert.match(revealed.text, new RegExp(A.md5Key));
    for (const [i, text] of [...texts, revealed.text].entries()) {
      assert.doesNotMatch(text, new RegExp(B.md5Key), pages[i] ?? 'reveal');
      assert.doesNotMatch(text, new RegExp(B.partner), pages[i] ?? 'reveal');
      assert.doesNotMatch(text, /B secret rule|B-ORDER-1/, pages[i] ?? 'reveal');
    }
  });

  test('the MD5 key is not in the overview until revealed with a POST', async () => {
    const page = await consoleRequest(app.url, `/m/${A.partner}`, { cookie: a.cookie });
    assert.doesNotMatch(page.text, new RegExp(A.md5Key));
    assert.equal(page.headers.get('cache-control'), 'no-store');
  });
});
