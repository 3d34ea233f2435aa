// A POS that handles every outcome as Alipay's guidance says (docs/integration-check.md): it passes
// every scenario of the integration check. Run: node reference-pos.mjs --gateway … --partner … --key …
import { setTimeout as sleep } from 'node:timers/promises';
import { createMapiClient, verifyNotificationSignature } from 'alipay-mock';
import { notificationReceiver, order, posOptions } from './pos-common.mjs';

const opts = posOptions();
// strictSignature: an answer whose signature does not verify is thrown, so it is never taken as paid.
const client = createMapiClient({
  gateway: opts.gateway,
  partner: opts.partner,
  key: opts.key,
  strictSignature: true,
  timeoutMs: 5000,
});

/** Cancels until the gateway says SUCCESS, or says not to retry (retry_flag=N). */
async function cancel(id) {
  for (let i = 0; i < 5; i++) {
    const r = await client.cancel({ outTradeNo: id });
    if (r.resultCode === 'SUCCESS' || r.retryFlag !== 'Y') return r.resultCode;
  }
  return 'gave up';
}

/** Pays; an unknown result (SYSTEM_ERROR, UNKNOW, no answer, bad signature) is queried, then cancelled. */
async function pay(id, amount, notifyUrl) {
  try {
    const r = await client.spotPay(order(id, amount, notifyUrl));
    if (r.resultCode === 'SUCCESS') return 'paid';
    if (r.resultCode === 'FAILED' && r.error !== 'SYSTEM_ERROR') return 'declined';
  } catch {
    // No answer, or one that cannot be trusted: the result is unknown.
  }
  // Alipay: query about every 3 s, 10 to 20 times. Shortened to 3 queries 2 s apart (the check's
  // minimum) so that the example finishes quickly.
  for (let i = 0; i < 3; i++) {
    if (i > 0) await sleep(2000);
    try {
      const q = await client.query({ partnerTransId: id });
      if (q.tradeStatus === 'TRADE_SUCCESS') return 'paid';
      if (q.tradeStatus === 'TRADE_CLOSED') return 'closed';
    } catch {
      // keep asking
    }
  }
  return `cancelled (${await cancel(id)})`;
}

/** Refunds; an unknown result is sent again with the same partner_refund_id. */
async function refund(id, refundId, amount) {
  for (let i = 0; i < 3; i++) {
    try {
      const r = await client.spotRefund({
        partnerTransId: id,
        partnerRefundId: refundId,
        refundAmount: amount,
        currency: 'USD',
      });
      if (r.resultCode === 'SUCCESS' || (r.resultCode === 'FAILED' && r.error !== 'SYSTEM_ERROR'))
        return r.error ?? r.resultCode;
    } catch {
      // no answer: retry with the same id
    }
  }
  return 'unknown';
}

const t = opts.tag;
// A notification whose signature does not verify is refused (and not acted on); Alipay sends it again.
const notifications = await notificationReceiver((params) =>
  verifyNotificationSignature(params, { key: opts.key }) ? 'success' : 'fail',
);
const seen = {
  systemError: await pay(`CHK-SYSERR-${t}`, '10.00'),
  noAnswer: await pay(`CHK-NOANSWER-${t}`, '10.00'),
  badSignature: await pay(`CHK-BADSIGN-${t}`, '10.00'),
  waitBuyerPay: await pay(`CHK-WAIT-${t}`, '10.00'),
};
await pay(`CHK-REFUND-RETRY-${t}`, '10.00');
seen.refundRetry = await refund(`CHK-REFUND-RETRY-${t}`, `CHK-R-${t}-1`, '5.00');
await pay(`CHK-REFUND-NEW-${t}`, '10.00');
seen.partial = await refund(`CHK-REFUND-NEW-${t}`, `CHK-R-${t}-2`, '4.00');
seen.rest = await refund(`CHK-REFUND-NEW-${t}`, `CHK-R-${t}-3`, '6.00');
await pay(`CHK-OVER-REFUND-${t}`, '10.00');
seen.overRefund = await refund(`CHK-OVER-REFUND-${t}`, `CHK-R-${t}-4`, '20.00');
seen.afterOverRefund = await refund(`CHK-OVER-REFUND-${t}`, `CHK-R-${t}-5`, '10.00');
await pay(`CHK-CANCEL-${t}`, '10.00');
seen.cancel = await cancel(`CHK-CANCEL-${t}`);
// An order abandoned before it was paid: the cancel answers TRADE_NOT_EXIST with retry_flag=N, final.
seen.cancelUnknown = await cancel(`CHK-NOTRADE-${t}`);
seen.notify = await pay(`CHK-NOTIFY-${t}`, '10.00', notifications.url);
seen.badNotify = await pay(`CHK-BADNOTIFY-${t}`, '10.00', notifications.url);
// Paid, then cancelled: the paid notification is held back until the cancel's has been delivered.
await pay(`CHK-LATENOTIFY-${t}`, '10.00', notifications.url);
seen.lateNotify = await cancel(`CHK-LATENOTIFY-${t}`);
seen.notificationsReceived = await notifications.waitFor(5);
await notifications.close();
client.close();
process.stdout.write(`${JSON.stringify(seen)}\n`);
