// Reading what the console shows at length: the default rules grouped by outcome with a filter (and
// without JavaScript, plain groups), and a gateway answer as indented XML with its raw body and bytes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEMO_CONSOLE_LOGINS, DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { DEFAULT_RULES } from '../../src/rules/default-rules.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { signIn } from '../helpers/console-client.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { CHROMIUM_SKIP, launchChromium, screenshot } from '../helpers/browser.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const DEMO = DEMO_CONSOLE_LOGINS[0]!;
const BASE = `/m/${DEMO_MERCHANT.partner}`;
const PAY_DEFAULTS = DEFAULT_RULES.filter((r) => r.service === PAY || r.service === '*').length;

type Browser = Awaited<ReturnType<typeof launchChromium>>;

/** The little of the DOM the checks read in the page (the project's TypeScript has no DOM types). */
interface InPage {
  id: string;
  open: boolean;
  hidden: boolean;
  textContent: string | null;
  querySelector(selector: string): InPage | null;
  querySelectorAll(selector: string): ArrayLike<InPage>;
}

describe('reading the console at length', { skip: CHROMIUM_SKIP, timeout: 180_000 }, () => {
  let app: TestApp;
  let withJs: Browser;
  let withoutJs: Browser;
  const dialogs: string[] = [];

  async function signedIn(browser: Browser): Promise<Page> {
    const { cookie } = await signIn(app.url, DEMO.email, DEMO.password);
    const value = cookie.replace(/^amock_session=/, '');
    await browser.context.addCookies([{ name: 'amock_session', value, url: app.url }]);
    browser.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    return browser.page;
  }

  /** Per group of the default rules: its summary, whether it is open, shown, and its rows shown. */
  const groupsOf = (page: Page) =>
    page.locator('#default-groups > details').evaluateAll((elements) =>
      (elements as unknown as InPage[]).map((g) => ({
        summary: (g.querySelector('summary')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
        open: g.open,
        hidden: g.hidden,
        rows: Array.from(g.querySelectorAll('tbody tr'))
          .filter((r) => !r.hidden)
          .map((r) => r.id),
      })),
    );

  before(async () => {
    app = await startTestApp();
    withJs = await launchChromium();
    withoutJs = await launchChromium({ javaScriptEnabled: false });
  });
  after(async () => {
    await withJs?.close();
    await withoutJs?.close();
    await app?.close();
  });

  test('the default rules come in closed groups by outcome, and the filter box finds rules', async () => {
    const page = await signedIn(withJs);
    await page.goto(`${app.url}${BASE}/rules?service=pay`);
    const groups = await groupsOf(page);
    assert.deepEqual(
      groups.map((g) => g.summary.replace(/ \d+ rules?.*$/, '')),
      [
        'Business failures',
        'Unknown results',
        'Sequences: transient failures and retries',
        'Gateway errors',
        'Broken replies',
        'Transport faults',
      ],
    );
    assert.ok(groups.every((g) => !g.open && !g.hidden));
    assert.equal(
      groups.reduce((n, g) => n + g.rows.length, 0),
      PAY_DEFAULTS,
      'every default rule of the tab is in a group',
    );
    assert.equal(await page.locator('#rule-default-pay-9902').isVisible(), false);

    const filter = page.getByLabel('Filter default rules');
    await filter.fill('ILLEGAL_SIGN');
    const found = await groupsOf(page);
    const shown = found.filter((g) => !g.hidden);
    assert.ok(shown.length > 0 && shown.every((g) => g.open && g.rows.length > 0));
    assert.ok(found.find((g) => g.summary.startsWith('Gateway errors'))?.rows.length);
    assert.ok(found.find((g) => g.summary.startsWith('Business failures'))?.hidden);
    const matching = found.reduce((n, g) => n + g.rows.length, 0);
    assert.equal(
      await page.locator('[data-filter-count]').textContent(),
      `${matching} of ${PAY_DEFAULTS} rules match`,
    );
    for (const row of await page.locator('#default-groups tbody tr:visible').all()) {
      assert.match((await row.textContent()) ?? '', /ILLEGAL_SIGN/);
    }
    await screenshot(withJs.page, 'reading-default-rules-filtered');

    // Words narrow down together; clearing the box gives back the closed groups.
    await filter.fill('9902 balance');
    assert.deepEqual(
      (await groupsOf(page)).flatMap((g) => g.rows),
      ['rule-default-pay-9902'],
    );
    await filter.fill('');
    const cleared = await groupsOf(page);
    assert.ok(cleared.every((g) => !g.open && !g.hidden));
    assert.equal(
      cleared.reduce((n, g) => n + g.rows.length, 0),
      PAY_DEFAULTS,
    );
    assert.equal(await page.locator('[data-filter-count]').textContent(), '');
  });

  test('without JavaScript the groups open on a click or a link to a row, and no filter box is offered', async () => {
    const page = await signedIn(withoutJs);
    await page.goto(`${app.url}${BASE}/rules?service=pay`);
    assert.equal(await page.getByLabel('Filter default rules').isVisible(), false);
    const gateway = page.locator('#default-groups > details', { hasText: 'Gateway errors' });
    assert.equal(await gateway.locator('tbody tr').first().isVisible(), false);
    await gateway.locator('summary').click();
    assert.equal(await gateway.locator('tbody tr').first().isVisible(), true);
    assert.match((await gateway.locator('tbody').textContent()) ?? '', /ILLEGAL_SIGN/);
    // The request log's link to a default rule opens its group (the browser reveals the target).
    await page.goto(`${app.url}${BASE}/rules?service=pay#rule-default-pay-9902`);
    await page.locator('#rule-default-pay-9902').waitFor({ state: 'visible' });
  });

  test("the answer is indented XML, escaped, with the raw body and the answer's bytes", async () => {
    const sent = await callGateway(
      app.url,
      PAY,
      aPay({ memo: '<script>window.__xss=1;alert(1)</script>', trans_name: '咖啡 & <b>cake</b>' }),
      { charset: 'UTF-8' },
    );
    const page = await signedIn(withJs);
    await page.goto(`${app.url}${BASE}/requests`);
    await page.locator('#log-rows tr').first().getByRole('link').first().click();
    const response = page.locator('section', { has: page.getByRole('heading', { name: 'Response' }) });
    const pretty = (await response.locator('pre.xml').textContent()) ?? '';
    assert.match(
      pretty,
      /^<\?xml version="1\.0" encoding="GBK"\?>\n<alipay>\n {2}<is_success>T<\/is_success>\n/,
    );
    assert.match(
      pretty,
      /\n {4}<param name="memo">&lt;script&gt;window\.__xss=1;alert\(1\)&lt;\/script&gt;<\/param>\n/,
    );
    assert.match(pretty, /\n {4}<param name="trans_name">咖啡 &amp; &lt;b&gt;cake&lt;\/b&gt;<\/param>\n/);
    assert.match(pretty, /\n<\/alipay>$/);
    assert.equal(await page.evaluate('typeof window.__xss'), 'undefined');
    assert.deepEqual(dialogs, []);

    const raw = response.locator('details', { hasText: 'Raw body' });
    assert.equal(await raw.locator('pre').isVisible(), false);
    await raw.locator('summary').click();
    assert.equal(await raw.locator('pre').textContent(), sent.text);
    await screenshot(page, 'reading-answer-xml');

    const href = (await response.getByRole('link', { name: 'Download the body' }).getAttribute('href')) ?? '';
    const download = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return {
        type: res.headers.get('content-type'),
        disposition: res.headers.get('content-disposition'),
        bytes: Array.from(new Uint8Array(await res.arrayBuffer())),
      };
    }, href);
    assert.equal(download.type, 'application/octet-stream');
    assert.match(download.disposition ?? '', /^attachment; filename="response-\d+\.xml"$/);
    assert.deepEqual(Buffer.from(download.bytes), sent.body);
  });
});
