// The web console in a real browser (headless Debian Chromium): the newcomer's path from sign-in to
// "why did my request get BUYER_BALANCE_NOT_ENOUGH", with a screenshot of each page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEMO_CONSOLE_LOGINS, DEMO_HK_MERCHANT, DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { buildSignString, md5Sign } from '../../src/protocol/sign.js';
import { encodeForm } from '../../src/protocol/form-encode.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway, rawRequest } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { CHROMIUM_SKIP, launchChromium, screenshot } from '../helpers/browser.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const DEMO = DEMO_CONSOLE_LOGINS[0]!;
const BASE = `/m/${DEMO_MERCHANT.partner}`;

describe('web console in Chromium', { skip: CHROMIUM_SKIP, timeout: 240_000 }, () => {
  let app: TestApp;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  const go = (path: string) => page.goto(`${app.url}${path}`);
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Merchant sections' }).getByRole('link', { name });

  before(async () => {
    app = await startTestApp();
    browser = await launchChromium();
    page = browser.page;
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  test('a visitor is sent to sign in, and the demo credentials open the overview', async () => {
    await go('/');
    assert.match(page.url(), /\/login$/);
    await screenshot(page, '01-login');
    await page.getByLabel('Email').fill(DEMO.email);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`**${BASE}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Overview');
    assert.equal(await page.locator('#pid').textContent(), DEMO_MERCHANT.partner);
    // The MD5 key is revealed on demand only.
    assert.equal(await page.locator('#md5-key').count(), 0);
    await page.getByRole('button', { name: 'Reveal MD5 key' }).click();
    assert.equal(await page.locator('#md5-key').textContent(), DEMO_MERCHANT.md5Key);
    await go(BASE);
    await screenshot(page, '02-overview');
  });

  test('the rule editor shows a problem next to its field, then creates "spot pay of 12.34 → BUYER_BALANCE_NOT_ENOUGH"', async () => {
    await nav('Mock service').click();
    await page.getByRole('link', { name: 'New rule' }).click();
    await page.getByLabel('Name').fill('Decline 12.34');
    // The condition builder works from the keyboard: add a row, land in it, remove it again.
    await page.getByRole('button', { name: 'Add condition' }).focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate('document.activeElement.getAttribute("name")'), 'when.1.field');
    await page.getByRole('button', { name: 'Remove condition' }).nth(1).click();
    assert.equal(await page.locator('[name="when.1.field"]').count(), 0);
    await page.locator('[name="when.0.value"]').fill('12.34');
    // The outcome form follows its type select.
    await page.locator('[name="then.type"]').selectOption('gateway_error');
    assert.equal(await page.locator('[name="then.gateway_error.code"]').isVisible(), true);
    assert.equal(await page.locator('[name="then.business.error"]').isVisible(), false);
    await page.locator('[name="then.type"]').selectOption('business');
    const errorCode = page.locator('[name="then.business.error"]');
    await page.locator('[name="then.business.result_code"]').selectOption('FAILED');
    await errorCode.fill('balance too low');
    await page.getByRole('button', { name: 'Save rule' }).click();
    const error = page.locator('#e-then\\.business\\.error');
    assert.match((await error.textContent()) ?? '', /upper-case code such as SYSTEM_ERROR/);
    assert.equal(await errorCode.getAttribute('aria-invalid'), 'true');
    await screenshot(page, '03-rule-editor-error');
    await errorCode.fill('BUYER_BALANCE_NOT_ENOUGH');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.waitForURL(/\/rules\?service=pay&done=rule-created/);
    assert.match((await page.getByRole('status').textContent()) ?? '', /Rule created/);
    const row = page.locator('tr', { hasText: 'Decline 12.34' });
    assert.match(
      (await row.textContent()) ?? '',
      /trans_amount eq 12\.34.*FAILED \/ BUYER_BALANCE_NOT_ENOUGH.*On/s,
    );
    await screenshot(page, '04-mock-service');
    const [rule] = await app.store.listRules({ partner: DEMO_MERCHANT.partner });
    assert.deepEqual(rule?.then, {
      type: 'business',
      result_code: 'FAILED',
      error: 'BUYER_BALANCE_NOT_ENOUGH',
    });
  });

  test('"Try it" signs and sends a spot pay of 12.34 and shows the rule\'s answer', async () => {
    await nav('Try it').click();
    assert.equal(await page.getByLabel('Amount (trans_amount)').inputValue(), '12.34');
    await page.getByRole('button', { name: 'Sign and send' }).click();
    const result = page.locator('[data-result]');
    assert.match(
      (await result.getByRole('heading', { level: 2 }).textContent()) ?? '',
      /FAILED · BUYER_BALANCE_NOT_ENOUGH/,
    );
    assert.equal(await result.getByRole('link', { name: 'Decline 12.34' }).count(), 1);
    await screenshot(page, '05-try-it');
  });

  test('the request log shows the request with its rule linked, and says why it answered so', async () => {
    await nav('Request log').click();
    const first = page.locator('#log-rows tr').first();
    assert.match((await first.textContent()) ?? '', /FAILED:BUYER_BALANCE_NOT_ENOUGH/);
    const ruleLink = first.getByRole('link', { name: 'Decline 12.34' });
    assert.match((await ruleLink.getAttribute('href')) ?? '', new RegExp(`${BASE}/rules/[^/]+/edit$`));
    // Live: a request sent now appears without a reload.
    const before = await page.locator('#log-rows tr').count();
    await callGateway(app.url, PAY, aPay({ trans_amount: '1.00' }));
    await page.locator('#log-rows tr').nth(before).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('#log-rows tr.is-new').count(), 1);
    await screenshot(page, '06-request-log');
    await page
      .locator('#log-rows tr', { hasText: 'BUYER_BALANCE_NOT_ENOUGH' })
      .first()
      .getByRole('link')
      .first()
      .click();
    const answer = page.locator('section', {
      has: page.getByRole('heading', { name: 'Why it answered so' }),
    });
    assert.match((await answer.textContent()) ?? '', /Answered by the custom rule Decline 12\.34/);
    assert.match((await answer.textContent()) ?? '', /BUYER_BALANCE_NOT_ENOUGH/);
    await screenshot(page, '07-request-detail');
    await answer.getByRole('link', { name: 'Decline 12.34' }).click();
    assert.equal(await page.getByLabel('Name').inputValue(), 'Decline 12.34');
  });

  test('a default rule switched off no longer answers for this merchant', async () => {
    // The link the request log gives to a default rule: it opens the rule's group.
    await go(`${BASE}/rules?service=pay#rule-default-pay-9902`);
    const row = page.locator('#rule-default-pay-9902');
    assert.match((await row.textContent()) ?? '', /On/);
    await row.getByRole('button', { name: /Switch off/ }).click();
    await page.waitForURL(/done=default-off/);
    assert.match((await page.locator('#rule-default-pay-9902').textContent()) ?? '', /Off/);
    const paid = await callGateway(app.url, PAY, aPay({ trans_amount: '9902' }));
    assert.equal(paid.envelope.response['result_code'], 'SUCCESS');
  });

  test('a badly signed request gets a signature diagnosis in the log', async () => {
    const params = {
      service: PAY,
      partner: DEMO_MERCHANT.partner,
      _input_charset: 'utf-8',
      ...aPay({ trans_amount: '3.00' }),
    };
    const sign = md5Sign(buildSignString(params), 'not-the-merchant-key-0000000000', 'UTF-8');
    const res = await rawRequest(app.url, {
      path: `/gateway.do?${encodeForm({ ...params, sign, sign_type: 'MD5' }, 'UTF-8')}`,
    });
    assert.match(res.text, /ILLEGAL_SIGN/);
    await go(`${BASE}/requests?outcome=F%3A`);
    await page.locator('#log-rows tr').first().getByRole('link').first().click();
    const signature = page.locator('section', { has: page.getByRole('heading', { name: 'Signature' }) });
    assert.match((await signature.textContent()) ?? '', /Signature did not verify/);
    assert.equal(await signature.getByRole('heading', { name: 'Likely reason' }).count(), 1);
    assert.match((await signature.textContent()) ?? '', /Expected string to sign/);
    assert.match((await signature.textContent()) ?? '', /the key, the sign type or the charset differs/);
    await screenshot(page, '08-signature-diagnosis');
  });

  test('trades: a pending payment is resolved as paid from its page, and the clock can be moved', async () => {
    const pending = await callGateway(app.url, PAY, aPay({ trans_amount: '9941' }));
    assert.equal(pending.envelope.response['result_code'], 'UNKNOW');
    await nav('Trades').click();
    await screenshot(page, '09-trades');
    await page.locator('tr', { hasText: 'WAIT_BUYER_PAY' }).getByRole('link').first().click();
    assert.match((await page.locator('.note').textContent()) ?? '', /resolves to paid/);
    await page.getByRole('button', { name: '+1 minute' }).click();
    await page.waitForURL(/done=clock-changed/);
    // 30 s of sandbox time later the default rule's resolution is due: the trade shows it paid.
    assert.match((await page.locator('.props').first().textContent()) ?? '', /TRADE_SUCCESS/);
    await screenshot(page, '10-trade-detail');
    const other = await callGateway(app.url, PAY, aPay({ trans_amount: '9942' }));
    await go(`${BASE}/trades/${other.envelope.response['partner_trans_id'] ?? ''}`);
    await page.getByRole('button', { name: 'Mark paid (buyer confirmed)' }).click();
    await page.waitForURL(/done=trade-resolved/);
    assert.match((await page.locator('.props').first().textContent()) ?? '', /TRADE_SUCCESS/);
    assert.match((await page.locator('.timeline').textContent()) ?? '', /Paid/);
  });

  test("buyers: each payment code is a barcode with its digits, like the buyer's app", async () => {
    await nav('Buyers').click();
    await screenshot(page, '11-buyers');
    await page.getByRole('link', { name: 'Low-balance buyer' }).click();
    const barcode = page.getByRole('img', { name: 'Barcode of payment code 281111111111111111' });
    assert.equal(await barcode.count(), 1);
    assert.ok((await barcode.locator('rect').count()) > 20);
    assert.match((await page.locator('.pay-digits').textContent()) ?? '', /2811 1111 1111 1111 11/);
    await screenshot(page, '12-buyer-barcode');
  });

  test('values a client sent are shown as text and never run', async () => {
    await callGateway(
      app.url,
      PAY,
      aPay({
        memo: '<script>window.__xss=1;alert(1)</script>',
        trans_name: '<img src=x onerror="window.__xss=2;alert(2)">',
      }),
    );
    await go(`${BASE}/requests`);
    await page.locator('#log-rows tr').first().getByRole('link').first().click();
    const params = page.locator('section', {
      has: page.getByRole('heading', { name: 'Decoded parameters' }),
    });
    assert.match((await params.textContent()) ?? '', /<script>window\.__xss=1;alert\(1\)<\/script>/);
    assert.match((await params.textContent()) ?? '', /<img src=x onerror="window\.__xss=2;alert\(2\)">/);
    assert.equal(await page.evaluate('typeof window.__xss'), 'undefined');
    await go(`${BASE}/trades`);
    await page.locator('tbody tr').first().getByRole('link').first().click();
    assert.equal(await page.evaluate('typeof window.__xss'), 'undefined');
    assert.deepEqual(dialogs, []);
  });

  test("merchant A cannot reach merchant B's pages or data, by URL or by the console's JSON", async () => {
    const response = await go(`/m/${DEMO_HK_MERCHANT.partner}/rules`);
    assert.equal(response?.status(), 404);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Not found');
    const status = await page.evaluate(
      async (url) => (await fetch(url)).status,
      `/m/${DEMO_HK_MERCHANT.partner}/requests.json`,
    );
    assert.equal(status, 404);
    assert.doesNotMatch(await page.content(), new RegExp(DEMO_HK_MERCHANT.md5Key));
  });

  test('at phone width the pages stay usable', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['', '/buyers', '/rules', '/rules/new', '/requests', '/trades', '/try']) {
      await go(`${BASE}${path}`);
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      assert.ok(overflow <= 1, `${path || '/'} scrolls sideways by ${overflow}px`);
    }
    await go(BASE);
    await screenshot(page, '13-phone-overview', false);
    await go(`${BASE}/rules/new`);
    await screenshot(page, '14-phone-rule-editor', false);
    await page.setViewportSize({ width: 1366, height: 900 });
    assert.deepEqual(pageErrors, []);
  });

  test('the operator signs in from this machine without a token and switches between merchants', async () => {
    await go(BASE);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login\?done=signed-out$/);
    await page.getByRole('button', { name: 'Sign in as operator' }).click();
    await page.waitForURL(/\/operator$/);
    await screenshot(page, '15-operator-merchants');
    await page.getByLabel('Merchant', { exact: true }).selectOption(DEMO_HK_MERCHANT.partner);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.waitForURL(`**/m/${DEMO_HK_MERCHANT.partner}`);
    assert.match((await page.locator('.merchant-name').textContent()) ?? '', /Demo HK Shop/);
    assert.deepEqual(pageErrors, []);
  });
});
