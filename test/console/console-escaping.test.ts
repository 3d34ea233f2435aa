import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_CONSOLE_LOGINS, DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { escapeHtml, html, raw } from '../../src/console/html.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { consoleRequest, signIn, type ConsoleSessionCookies } from '../helpers/console-client.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { api } from '../helpers/admin-call.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const SCRIPT = '<script>alert("x")</script>';
const IMG = '"><img src=x onerror=alert(1)>';

describe('the html`` helper', () => {
  test('escapes every interpolated value, in text and in attributes', () => {
    const out = html`<p title="${IMG}">${SCRIPT}${"'`&"}</p>`.text;
    assert.equal(
      out,
      '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&#96;&amp;</p>',
    );
  });

  test('nests safely: markup made by html`` passes as it is, lists are joined, nothing shows nothing', () => {
    const inner = html`<b>${'<i>'}</b>`;
    assert.equal(
      html`<div>${inner}${[SCRIPT, 1, null]}${undefined}${false}</div>`.text,
      '<div><b>&lt;i&gt;</b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;1</div>',
    );
    assert.equal(html`${raw('<svg></svg>')}`.text, '<svg></svg>');
    assert.equal(escapeHtml('a&b'), 'a&amp;b');
  });
});

describe('values a client sent are escaped on every page', () => {
  let app: TestApp;
  let s: ConsoleSessionCookies;
  let logId: number;
  let tradeId: string;
  const base = `/m/${DEMO_MERCHANT.partner}`;

  before(async () => {
    app = await startTestApp();
    s = await signIn(app.url, DEMO_CONSOLE_LOGINS[0]!.email, DEMO_CONSOLE_LOGINS[0]!.password);
    await api(app.url, 'POST', '/api/rules', {
      partner: DEMO_MERCHANT.partner,
      service: PAY,
      name: `rule ${IMG}`,
      when: [{ field: 'memo', op: 'eq', value: SCRIPT }],
      then: { type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR', effect: 'create_trade' },
    });
    const res = await callGateway(
      app.url,
      PAY,
      aPay({ memo: SCRIPT, trans_name: IMG, partner_trans_id: 'XSS<b>1' }),
    );
    tradeId = res.envelope.response['alipay_trans_id'] ?? 'XSS<b>1';
    await app.app.inject({ method: 'GET', url: '/api/requests' });
    logId = (await app.store.listRequestLog({ partner: DEMO_MERCHANT.partner, limit: 1 }))[0]!.id;
  });
  after(() => app.close());

  test('request log, its JSON, the entry, the trade, the rules and the overview never echo markup', async () => {
    const paths = [
      '',
      '/requests',
      '/requests.json?after=0',
      `/requests/${logId}`,
      '/trades',
      `/trades/${encodeURIComponent(tradeId)}`,
      '/trades/XSS%3Cb%3E1',
      '/rules',
    ];
    for (const path of paths) {
      const res = await consoleRequest(app.url, `${base}${path}`, { cookie: s.cookie });
      assert.equal(res.status, 200, path);
      const text = path.includes('.json')
        ? String((JSON.parse(res.text) as { html: string }).html)
        : res.text;
      assert.doesNotMatch(text, /<script>alert|<img src=x|<b>1/, path);
    }
    const entry = await consoleRequest(app.url, `${base}/requests/${logId}`, { cookie: s.cookie });
    assert.match(entry.text, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    assert.match(entry.text, /rule &quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  test('a rule name with markup is escaped in its editor, and the editor re-shows bad input escaped', async () => {
    const [rule] = await app.store.listRules({ partner: DEMO_MERCHANT.partner });
    const editor = await consoleRequest(app.url, `${base}/rules/${rule!.id}/edit`, { cookie: s.cookie });
    assert.doesNotMatch(editor.text, /<img src=x/);
    const bad = await consoleRequest(app.url, `${base}/rules/new`, {
      cookie: s.cookie,
      form: {
        _csrf: s.csrf,
        name: SCRIPT,
        service: PAY,
        'when.0.field': IMG,
        'when.0.op': 'eq',
        'then.type': 'business',
        'then.business.result_code': 'FAILED',
        'then.business.error': SCRIPT,
      },
    });
    assert.equal(bad.status, 400);
    assert.doesNotMatch(bad.text, /<script>alert|<img src=x/);
  });

  test('every page forbids inline script by Content-Security-Policy', async () => {
    const res = await consoleRequest(app.url, `${base}/requests/${logId}`, { cookie: s.cookie });
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.doesNotMatch(res.headers.get('content-security-policy') ?? '', /unsafe-inline/);
  });
});
