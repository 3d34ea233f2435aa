// A merchant QR code in a real browser (headless Debian Chromium, a phone-sized viewport): the POS
// creates the code through the gateway, the buyer opens its qrcode URL, types an amount (a wrong one
// first), pays, and the POS finds the new trade by query and receives its signed notification.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  startNotifyApp,
  startNotifyTarget,
  type NotifyApp,
  type NotifyTarget,
} from '../notify/notify-helpers.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aMerchantQr } from '../helpers/builders.js';
import { CHROMIUM_SKIP, launchChromium, screenshot } from '../helpers/browser.js';
import { buildSignString, md5Sign } from '../../src/protocol/sign.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';

const CREATE = 'alipay.commerce.qrcode.create';
const QUERY = 'alipay.acquire.overseas.query';

describe(
  'the wallet page of a merchant QR code in Chromium',
  { skip: CHROMIUM_SKIP, timeout: 120_000 },
  () => {
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
  },
);
