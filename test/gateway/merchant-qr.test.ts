import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  startNotifyApp,
  startNotifyTarget,
  type NotifyApp,
  type NotifyTarget,
} from '../notify/notify-helpers.js';
import { callGateway } from '../helpers/gateway-call.js';
import { api } from '../helpers/admin-call.js';
import { aCancel, aMerchantQr, aRefund } from '../helpers/builders.js';
import * as stores from '../helpers/store-matrix.js';
import { DEFAULT_MERCHANT_QR_RULES } from '../../src/rules/default-merchant-qr-rules.js';

const CREATE = 'alipay.commerce.qrcode.create';
const MODIFY = 'alipay.commerce.qrcode.modify';
const STATUS = 'alipay.commerce.qrcode.modifyStatus';
const QUERY = 'alipay.acquire.overseas.query';

const TARGETS: Array<{
  name: string;
  skip?: string | undefined;
  flags: Record<string, string>;
  done: () => Promise<void>;
}> = [
  { name: 'sqlite', flags: {}, done: () => Promise.resolve() },
  (() => {
    const schema = stores.freshSchemaName();
    return {
      name: 'postgres',
      skip: stores.postgresSkipReason(),
      flags: { db: stores.TEST_PG_URL, dbSchema: schema, dbPoolSize: '3' },
      done: () => stores.dropSchema(schema),
    };
  })(),
];

for (const target of TARGETS) {
  describe(`merchant QR codes and their payments (${target.name})`, { skip: target.skip }, () => {
    let app: NotifyApp;
    let hook: NotifyTarget;
    before(async () => {
      app = await startNotifyApp(target.flags);
      hook = await startNotifyTarget(() => 'success');
    });
    after(async () => {
      await app.close();
      await hook.close();
      await target.done();
    });

    const create = async (biz: Record<string, unknown> = {}, extra: Record<string, string> = {}) =>
      (await callGateway(app.url, CREATE, aMerchantQr(biz, extra))).envelope;
    const status = async (qrcode: string, to: string) =>
      (
        await callGateway(app.url, STATUS, {
          timestamp: '2026-11-26 12:00:00',
          biz_type: 'OVERSEASHOPQRCODE',
          qrcode,
          status: to,
        })
      ).envelope.response;
    const pay = (qrCode: string, amount?: string) =>
      api(app.url, 'POST', '/api/wallet/pay', { qrCode, amount });
    const query = async (id: string) =>
      (await callGateway(app.url, QUERY, { partner_trans_id: id })).envelope.response;

    it('create answers SUCCESS with a wallet URL of this sandbox and its picture, fields sorted', async () => {
      const env = await create();
      assert.equal(env.isSuccess, 'T');
      assert.equal(env.response.result_code, 'SUCCESS');
      assert.match(
        env.response.qrcode ?? '',
        new RegExp(`^${app.url}/wallet/m2088101122136241ocx\\d{10}x[0-9a-f]{12}$`),
      );
      assert.equal(env.response.qrcode_img_url, `${env.response.qrcode}/qr.svg?size=M`);
      assert.deepEqual(env.responseOrder, ['qrcode', 'qrcode_img_url', 'result_code']);
      const svg = await fetch(env.response.qrcode_img_url);
      assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    });

    it('one store has one code with and one without channel fee; a repeat answers the existing one', async () => {
      const store = { store_id: `S-${target.name}-fee` };
      const plain = (await create(store)).response.qrcode;
      const again = (await create({ ...store, store_name: 'Renamed' })).response.qrcode;
      const fee = (await create({ ...store, channel_fee: { type: 'RATE', value: '0.01' } })).response.qrcode;
      assert.equal(again, plain);
      assert.notEqual(fee, plain);
    });

    it('concurrent creates for one store make one code', async () => {
      const biz = { store_id: `S-${target.name}-race` };
      const answers = await Promise.all([1, 2, 3, 4].map(() => create(biz)));
      assert.equal(new Set(answers.map((a) => a.response.qrcode)).size, 1);
    });

    it('a payment by amount is a new paid trade: query TRADE_SUCCESS, notification, refund and cancel work', async () => {
      const code = (await create({}, { notify_url: hook.url })).response.qrcode!;
      const first = await pay(code, '12.30');
      assert.equal(first.status, 200, JSON.stringify(first.json));
      const second = await pay(code, '1.00');
      const id = String(first.json['alipayTransId']);
      assert.equal(first.json['partnerTransId'], id);
      assert.notEqual(second.json['alipayTransId'], id);
      const q = await query(id);
      assert.equal(q.alipay_trans_status, 'TRADE_SUCCESS');
      assert.equal(q.trans_amount, '12.30');
      assert.equal(q.alipay_buyer_user_id, '2088622937243084');
      await app.deliver();
      const mine = hook.received.filter((n) => n.params['out_trade_no'] === id);
      assert.equal(mine.length, 1);
      assert.equal(mine[0]?.params['trade_status'], 'TRADE_SUCCESS');
      const refund = await callGateway(
        app.url,
        'alipay.acquire.overseas.spot.refund',
        aRefund(id, { refund_amount: '2.30', currency: 'USD' }),
      );
      assert.equal(refund.envelope.response.result_code, 'SUCCESS', JSON.stringify(refund.envelope.response));
      const other = String(second.json['alipayTransId']);
      const cancel = await callGateway(app.url, 'alipay.acquire.cancel', aCancel(other));
      assert.equal(cancel.envelope.response.result_code, 'SUCCESS');
      assert.equal(cancel.envelope.response.action, 'refund');
    });

    it('a missing or malformed amount is a 400 naming the amount field; nothing is created', async () => {
      const code = (await create()).response.qrcode!;
      for (const amount of [undefined, '1.234', 'abc', '0']) {
        const res = await pay(code, amount);
        assert.equal(res.status, 400, String(amount));
        assert.equal(res.json['code'], 'invalid_request');
        assert.equal((res.json['errors'] as Array<{ field: string }>)[0]?.field, 'amount');
      }
    });

    it('STOP refuses payment, RESTART takes it again, DELETE is final and frees the store', async () => {
      const biz = { store_id: `S-${target.name}-status` };
      const code = (await create(biz)).response.qrcode!;
      assert.equal((await status(code, 'STOP')).result_code, 'SUCCESS');
      assert.equal((await status(code, 'STOP')).result_code, 'SUCCESS');
      const stopped = await pay(code, '5.00');
      assert.equal(stopped.status, 409);
      assert.match(String(stopped.json['detail']), /code_stopped/);
      assert.equal((await status(code, 'RESTART')).result_code, 'SUCCESS');
      assert.equal((await pay(code, '5.00')).status, 200);
      assert.equal((await status(code, 'DELETE')).result_code, 'SUCCESS');
      assert.match(String((await pay(code, '5.00')).json['detail']), /code_deleted/);
      assert.deepEqual(await status(code, 'RESTART'), { error: 'QRCODE_STATUS_ERROR', result_code: 'FAIL' });
      const fresh = (await create(biz)).response.qrcode;
      assert.notEqual(fresh, code);
    });

    it('modify replaces the data, keeps the URL; another store or a foreign code is refused', async () => {
      const biz = { store_id: `S-${target.name}-modify` };
      const code = (await create(biz)).response.qrcode!;
      const params = (b: Record<string, unknown>) => ({ ...aMerchantQr({ ...biz, ...b }), qrcode: code });
      const ok = await callGateway(
        app.url,
        MODIFY,
        params({ store_name: 'New Name', trans_currency: 'HKD', currency: 'HKD' }),
      );
      assert.equal(ok.envelope.response.qrcode, code);
      const paid = await pay(code, '3.00');
      assert.equal(paid.json['transCurrency'], 'HKD');
      assert.equal(paid.json['transName'], 'New Name');
      const moved = await callGateway(app.url, MODIFY, params({ store_id: 'elsewhere' }));
      assert.equal(moved.envelope.response.error, 'INVALID_PARAMETER');
      const forged = await callGateway(app.url, MODIFY, {
        ...params({}),
        qrcode: code.replace(/x[0-9a-f]{12}$/, 'x000000000000'),
      });
      assert.equal(forged.envelope.response.error, 'QRCODE_NOT_EXIST');
    });

    it('checks parameters: a bad biz_type is INVALID_PARAMETER, bad biz_data ILLEGAL_ARGUMENT', async () => {
      assert.equal((await create({}, { biz_type: 'OTHER' })).response.error, 'INVALID_PARAMETER');
      assert.equal((await create({}, { biz_data: 'not json' })).error, 'ILLEGAL_ARGUMENT');
      assert.equal((await create({ secondary_merchant_industry: 'x' })).error, 'ILLEGAL_ARGUMENT');
      assert.equal(
        (await create({ trans_currency: 'USD', currency: 'EUR' })).response.error,
        'INVALID_PARAMETER',
      );
      assert.equal(
        (await create({ channel_fee: { type: 'RATE', value: '0.2' } })).response.error,
        'INVALID_PARAMETER',
      );
      const noStatus = await callGateway(app.url, STATUS, {
        timestamp: '2026-11-26 12:00:00',
        biz_type: 'OVERSEASHOPQRCODE',
        qrcode: 'x',
        status: 'PAUSE',
      });
      assert.equal(noStatus.envelope.response.error, 'INVALID_PARAMETER');
    });

    it('every default rule of the three services answers FAIL with its error', async () => {
      for (const rule of DEFAULT_MERCHANT_QR_RULES) {
        const cond = rule.when[0]!;
        const trigger = `${String(cond.value)}x`;
        const params: Record<string, string> =
          cond.field === 'qrcode'
            ? {
                timestamp: '2026-11-26 12:00:00',
                biz_type: 'OVERSEASHOPQRCODE',
                qrcode: trigger,
                status: 'STOP',
              }
            : { ...aMerchantQr({ store_id: trigger }), ...(rule.service === MODIFY ? { qrcode: 'x' } : {}) };
        const res = (await callGateway(app.url, rule.service, params)).envelope.response;
        const then = rule.then as { error?: string };
        assert.deepEqual(res, { error: then.error, result_code: 'FAIL' }, rule.id);
      }
    });

    it('default rules answer their documented failures, and the request log records the service', async () => {
      assert.equal(
        (await create({ store_id: 'MOCK_QRCODE_CREATE_SYSTEM_ERROR-1' })).response.error,
        'SYSTEM_ERROR',
      );
      assert.equal((await status('MOCK_QRCODE_STATUS_QRCODE_NOT_EXIST-1', 'STOP')).error, 'QRCODE_NOT_EXIST');
      const log = await api(app.url, 'GET', `/api/requests?service=${STATUS}`);
      assert.equal(log.status, 200);
      assert.ok(JSON.stringify(log.json).includes('default-qrcode-status-qrcode-not-exist'));
    });
  });
}
