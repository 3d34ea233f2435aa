import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_CONSOLE_LOGINS, DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { consoleRequest, signIn, type ConsoleSessionCookies } from '../helpers/console-client.js';
import { callGateway } from '../helpers/gateway-call.js';
import { api } from '../helpers/admin-call.js';
import { aPay, aPrecreate } from '../helpers/builders.js';

describe("the console shows a waiting QR order's code and the wallet link", () => {
  let app: TestApp;
  let session: ConsoleSessionCookies;
  const tradePage = (id: string) =>
    consoleRequest(app.url, `/m/${DEMO_MERCHANT.partner}/trades/${id}`, { cookie: session.cookie });

  before(async () => {
    app = await startTestApp();
    session = await signIn(app.url, DEMO_CONSOLE_LOGINS[0]!.email, DEMO_CONSOLE_LOGINS[0]!.password);
  });
  after(() => app.close());

  test('a waiting precreate trade: its QR image is served and "Scan as buyer" opens its wallet page', async () => {
    const r = (await callGateway(app.url, 'alipay.acquire.precreate', aPrecreate())).envelope.response;
    const walletPath = new URL(r.qr_code!).pathname;
    const page = await tradePage(r.trade_no!);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(`<img src="${walletPath}/qr.svg?size=M"`), page.text);
    assert.match(page.text, new RegExp(`<a class="btn btn-primary" href="${walletPath}">Scan as buyer</a>`));
    const img = await fetch(`${app.url}${walletPath}/qr.svg?size=M`);
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/svg+xml');
    assert.match(await img.text(), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const wallet = await fetch(`${app.url}${walletPath}`);
    assert.equal(wallet.status, 200);
    assert.match(await wallet.text(), /<form/);

    const paid = await api(app.url, 'POST', '/api/wallet/pay', { qrCode: r.qr_code });
    assert.equal(paid.status, 200, JSON.stringify(paid.json));
    const after = await tradePage(r.trade_no!);
    assert.equal(after.status, 200);
    assert.doesNotMatch(after.text, /Scan as buyer|qr\.svg/);
  });

  test('a waiting create trade shows them too; a spot-pay trade does not', async () => {
    const created = await callGateway(
      app.url,
      'alipay.acquire.create',
      aPrecreate({ buyer_id: '2088622937243084', alipay_ca_request: '1' }),
    );
    const createdId = created.envelope.response.trade_no!;
    assert.ok(createdId, JSON.stringify(created.envelope));
    assert.match((await tradePage(createdId)).text, /Scan as buyer/);

    const spot = await callGateway(app.url, 'alipay.acquire.overseas.spot.pay', aPay());
    const spotPage = await tradePage(spot.envelope.response['alipay_trans_id']!);
    assert.equal(spotPage.status, 200);
    assert.doesNotMatch(spotPage.text, /Scan as buyer|qr\.svg/);
  });
});
