import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_HK_MERCHANT, DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { createMapiClient, type MapiClient } from '../../src/index.js';
import { uniqueId } from '../helpers/builders.js';
import { api } from '../helpers/admin-call.js';
import { rawRequest } from '../helpers/gateway-call.js';
import {
  payWithNotify,
  startNotifyApp,
  startNotifyTarget,
  type NotifyApp,
  type NotifyTarget,
} from './notify-helpers.js';

describe('notify_verify', () => {
  let app: NotifyApp;
  let target: NotifyTarget;
  let client: MapiClient;
  /** What notify_verify said while the merchant handled each notification. */
  const verdicts: boolean[] = [];

  before(async () => {
    app = await startNotifyApp({ notifyVerifyValiditySeconds: 60 });
    client = createMapiClient({
      gateway: `${app.url}/gateway.do`,
      partner: DEMO_MERCHANT.partner,
      key: DEMO_MERCHANT.md5Key,
    });
    // The merchant does what Alipay's demo does: ask notify_verify before answering.
    target = await startNotifyTarget(async (_i, params) => {
      verdicts.push(await client.notifyVerify(params['notify_id'] ?? ''));
      return 'success';
    });
  });
  after(async () => {
    client.close();
    await app.close();
    await target.close();
  });

  async function notified(): Promise<string> {
    const count = target.received.length;
    await payWithNotify(app, target.url, { partner_trans_id: uniqueId('V') });
    await app.deliver();
    const notifyId = target.received[count]?.params['notify_id'];
    assert.ok(notifyId, 'the notification arrived');
    return notifyId;
  }

  it('is true for a notify_id the sandbox sent, also while the merchant is handling it', async () => {
    const notifyId = await notified();
    assert.equal(verdicts.at(-1), true);
    assert.equal(await client.notifyVerify(notifyId), true);
  });

  it('is false for a notify_id never sent, and for another partner', async () => {
    const notifyId = await notified();
    assert.equal(await client.notifyVerify('0123456789abcdef0123456789abcdef'), false);
    const other = createMapiClient({
      gateway: `${app.url}/gateway.do`,
      partner: DEMO_HK_MERCHANT.partner,
      key: DEMO_HK_MERCHANT.md5Key,
    });
    try {
      assert.equal(await other.notifyVerify(notifyId), false);
    } finally {
      other.close();
    }
  });

  it('expires on the sandbox clock after its validity, counted from the latest attempt', async () => {
    const notifyId = await notified();
    const clock = `/api/merchants/${DEMO_MERCHANT.partner}/clock`;
    await api(app.url, 'POST', clock, { advanceSeconds: 60 });
    assert.equal(await client.notifyVerify(notifyId), true, 'valid for 60 s');
    await api(app.url, 'POST', clock, { advanceSeconds: 1 });
    assert.equal(await client.notifyVerify(notifyId), false, 'expired after 60 s');
    // A resend is a new attempt: the same notify_id is valid again.
    const [n] = (
      await api(app.url, 'GET', `/api/merchants/${DEMO_MERCHANT.partner}/notifications?notifyId=${notifyId}`)
    ).json['items'] as Array<{ id: string }>;
    await api(app.url, 'POST', `/api/merchants/${DEMO_MERCHANT.partner}/notifications/${n?.id ?? ''}/resend`);
    await app.deliver();
    assert.equal(await client.notifyVerify(notifyId), true);
    await api(app.url, 'DELETE', clock);
  });

  it('answers plain text to GET and POST, unsigned, and a missing notify_id is false', async () => {
    const notifyId = await notified();
    const get = await rawRequest(app.url, {
      path: `/gateway.do?service=notify_verify&partner=${DEMO_MERCHANT.partner}&notify_id=${notifyId}`,
    });
    assert.equal(get.status, 200);
    assert.equal(get.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(get.body.toString(), 'true');
    const post = await rawRequest(app.url, {
      method: 'POST',
      path: '/gateway.do',
      body: `service=notify_verify&partner=${DEMO_MERCHANT.partner}&notify_id=${notifyId}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(post.body.toString(), 'true');
    const missing = await rawRequest(app.url, {
      path: `/gateway.do?service=notify_verify&partner=${DEMO_MERCHANT.partner}`,
    });
    assert.equal(missing.body.toString(), 'false');
    const noPartner = await rawRequest(app.url, {
      path: `/gateway.do?service=notify_verify&notify_id=${notifyId}`,
    });
    assert.equal(noPartner.body.toString(), 'false');
  });

  it('is in the request log with its answer', async () => {
    const notifyId = await notified();
    await client.notifyVerify(notifyId);
    const log = await api(
      app.url,
      'GET',
      `/api/requests?partner=${DEMO_MERCHANT.partner}&service=notify_verify&limit=1`,
    );
    const [entry] = log.json['items'] as Array<{ outcome: string; service: string; responseBody: string }>;
    assert.equal(entry?.service, 'notify_verify');
    assert.equal(entry?.outcome, 'true');
    assert.equal(entry?.responseBody, 'true');
  });
});
