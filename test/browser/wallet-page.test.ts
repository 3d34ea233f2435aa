// The sandbox wallet in a real browser (headless Debian Chromium, a phone-sized viewport): a POS
// precreates, the qr_code URL opens the wallet page, a buyer pays, and the POS sees TRADE_SUCCESS by
// query and receives the notification; a merchant QR code's page takes an amount (a wrong one first)
// and makes a new trade, found by query and notified with a valid signature.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  startNotifyApp,
  startNotifyTarget,
  type NotifyApp,
  type NotifyTarget,
} from '../notify/notify-helpers.js';
import { callGateway, rawRequest } from '../helpers/gateway-call.js';
import { aMerchantQr, aPrecreate } from '../helpers/builders.js';
import { CHROMIUM_SKIP, launchChromium, screenshot } from '../helpers/browser.js';
import { buildSignString, md5Sign } from '../../src/protocol/sign.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';

const PRECREATE = 'alipay.acquire.precreate';
const CREATE = 'alipay.commerce.qrcode.create';
const QUERY = 'alipay.acquire.overseas.query';

describe('the wallet page in Chromium', { skip: CHROMIUM_SKIP, timeout: 120_000 }, () => {
  let app: NotifyApp;
  let target: NotifyTarget;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;

  before(async () => {
    app = await startNotifyApp();
    target = await startNotifyTarget(() => 'success');
    browser = await launchChromium();
    page = browser.page;
    await page.setViewportSize({ width: 390, height: 844 });
  });
  after(async () => {
    await browser?.close();
    await target?.close();
    await app?.close();
  });

  const precreate = async (overrides: Record<string, string> = {}) => {
    const params = aPrecreate({
      subject: 'Two flat whites',
      total_fee: '9.80',
      notify_url: target.url,
      ...overrides,
    });
    const r = (await callGateway(app.url, PRECREATE, params)).envelope.response;
    assert.equal(r.result_code, 'SUCCESS');
    return { outTradeNo: params.out_trade_no!, qrCode: r.qr_code ?? '' };
  };
  const status = async (outTradeNo: string) =>
    (await callGateway(app.url, QUERY, { partner_trans_id: outTradeNo })).envelope.response
      .alipay_trans_status;

  test('precreate, open the qr_code, pay as a buyer: query says TRADE_SUCCESS and the notification arrives', async () => {
    const order = await precreate();
    await page.goto(order.qrCode);
    await page.getByText('Two flat whites').waitFor();
    assert.equal(await page.locator('#status').textContent(), 'Waiting for payment');
    await screenshot(page, 'wallet-01-order');
    await page.getByLabel('Pay as sandbox buyer').selectOption('2088622937243084');
    await page.getByRole('button', { name: 'Pay 9.80 USD' }).click();
    await page.getByRole('status').waitFor();
    assert.equal(await page.getByRole('status').textContent(), 'Paid.');
    assert.equal(await page.locator('#status').textContent(), 'Paid');
    await screenshot(page, 'wallet-02-paid');
    assert.equal(await status(order.outTradeNo), 'TRADE_SUCCESS');
    await app.deliver();
    const mine = target.received.filter((n) => n.params['out_trade_no'] === order.outTradeNo);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.params['trade_status'], 'TRADE_SUCCESS');
  });

  test('a low balance is refused on the page; letting it time out closes the order', async () => {
    const order = await precreate({ total_fee: '300.00' });
    await page.goto(order.qrCode);
    await page.getByLabel('Pay as sandbox buyer').selectOption('2088000000000101');
    await page.getByRole('button', { name: 'Pay 300.00 USD' }).click();
    await page.getByRole('status').waitFor();
    assert.match((await page.getByRole('status').textContent()) ?? '', /balance is too low/);
    assert.equal(await status(order.outTradeNo), 'WAIT_BUYER_PAY');
    await page.getByRole('button', { name: 'Let it time out' }).click();
    await page.locator('#status', { hasText: 'Closed' }).waitFor();
    assert.equal(await status(order.outTradeNo), 'TRADE_CLOSED');
  });

  test('a form post from elsewhere (no wallet cookie token) changes nothing', async () => {
    const order = await precreate();
    const path = new URL(order.qrCode).pathname;
    const res = await rawRequest(app.url, {
      method: 'POST',
      path,
      body: 'action=pay&buyer=2088622937243084&_csrf=forged',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
    });
    assert.equal(res.status, 403);
    assert.equal(await status(order.outTradeNo), 'WAIT_BUYER_PAY');
    const unknown = await rawRequest(app.url, { path: '/wallet/o2088101122136241123x000000000000' });
    assert.equal(unknown.status, 404);
  });

  test('create a code, open it, a wrong amount then a right one: query TRADE_SUCCESS, signed notification', async () => {
    const created = await callGateway(
      app.url,
      CREATE,
      aMerchantQr({ store_name: 'Harbour Kiosk' }, { notify_url: target.url }),
    );
    assert.equal(created.envelope.response.result_code, 'SUCCESS', created.text);
    const qrcode = created.envelope.response.qrcode ?? '';

    await page.goto(qrcode);
    await page.getByText('Harbour Kiosk').waitFor();
    assert.equal(await page.locator('#status').textContent(), 'Accepting payments');

    const amount = page.getByLabel('Amount (USD)');
    await amount.fill('12.345');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.locator('#amount-error').waitFor();
    assert.match((await page.locator('#amount-error').textContent()) ?? '', /0\.01 to 100000000\.00/);
    assert.equal(await page.getByLabel('Amount (USD)').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Amount (USD)').inputValue(), '12.345', 'what was typed is kept');
    await screenshot(page, 'merchant-wallet-01-bad-amount');

    await page.getByLabel('Amount (USD)').fill('12.30');
    await page.getByLabel('Pay as sandbox buyer').selectOption('2088622937243084');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.getByRole('status').waitFor();
    assert.equal(await page.getByRole('status').textContent(), 'Paid.');
    assert.equal(await page.locator('#amount-error').count(), 0);
    const paidLine = (await page.locator('#paid-trade').textContent()) ?? '';
    await screenshot(page, 'merchant-wallet-02-paid');
    const tradeId = /trade (\d+)/.exec(paidLine)?.[1];
    assert.ok(tradeId, paidLine);
    assert.match(paidLine, /Paid 12\.30 USD/);

    // §12.6: the payment's partner_trans_id is its own alipay_trans_id.
    const q = (await callGateway(app.url, QUERY, { partner_trans_id: tradeId })).envelope.response;
    assert.equal(q.alipay_trans_status, 'TRADE_SUCCESS');
    assert.equal(q.partner_trans_id, tradeId);
    assert.equal(q.trans_amount, '12.30');
    assert.equal(q.alipay_buyer_user_id, '2088622937243084');

    await app.deliver();
    const mine = target.received.filter((n) => n.params['out_trade_no'] === tradeId);
    assert.equal(mine.length, 1);
    const { sign, sign_type: signType, ...rest } = mine[0]!.params;
    assert.equal(rest['trade_status'], 'TRADE_SUCCESS');
    assert.equal(signType, 'MD5');
    assert.equal(sign, md5Sign(buildSignString(rest), DEMO_MERCHANT.md5Key, 'UTF-8'));
  });
});
