// A careless POS, for contrast (docs/integration-check.md): it never queries, pays again with a new id
// when an answer is lost, ignores response and notification signatures, reuses one refund id per trade,
// resends any failed cancel whatever retry_flag says and answers a repeated notification with "OK". The integration check fails it on exactly those scenarios.
import { createMapiClient } from 'alipay-mock';
import { notificationReceiver, order, posOptions } from './pos-common.mjs';

const opts = posOptions();
// No strictSignature: a badly signed SUCCESS is taken at its word.
const client = createMapiClient({
  gateway: opts.gateway,
  partner: opts.partner,
  key: opts.key,
  timeoutMs: 5000,
});

/** Pays; a lost answer is "fixed" by paying again under a new id, a failure is final. */
async function pay(id, amount, notifyUrl) {
  try {
    const r = await client.spotPay(order(id, amount, notifyUrl));
    return r.resultCode === 'SUCCESS' ? 'paid' : 'declined';
  } catch {
    try {
      const again = await client.spotPay(order(`${id}-again`, amount, notifyUrl));
      return again.resultCode === 'SUCCESS' ? 'paid' : 'declined';
    } catch {
      return 'error';
    }
  }
}

/** Refunds under the one refund id it keeps per trade, retrying an unknown answer. */
async function refund(id, amount) {
  for (let i = 0; i < 3; i++) {
    const r = await client.spotRefund({
      partnerTransId: id,
      partnerRefundId: `${id}-REFUND`,
      refundAmount: amount,
      currency: 'USD',
    });
    if (r.resultCode !== 'UNKNOW') return r.error ?? r.resultCode;
  }
  return 'unknown';
}

/** Cancels, again after any failure: retry_flag is ignored. */
async function cancel(id) {
  for (let i = 0; i < 5; i++) {
    const r = await client.cancel({ outTradeNo: id });
    if (r.resultCode === 'SUCCESS') return r.resultCode;
  }
  return 'gave up';
}

const t = opts.tag;
// Answers success without checking the signature, and "OK" to a notify_id it has already seen.
const seenNotifyIds = new Set();
const notifications = await notificationReceiver((params) => {
  const repeat = seenNotifyIds.has(params.notify_id);
  seenNotifyIds.add(params.notify_id);
  return repeat ? 'OK' : 'success';
});
const seen = {
  systemError: await pay(`CHK-SYSERR-${t}`, '10.00'),
  noAnswer: await pay(`CHK-NOANSWER-${t}`, '10.00'),
  badSignature: await pay(`CHK-BADSIGN-${t}`, '10.00'),
  waitBuyerPay: await pay(`CHK-WAIT-${t}`, '10.00'),
};
await pay(`CHK-REFUND-RETRY-${t}`, '10.00');
seen.refundRetry = await refund(`CHK-REFUND-RETRY-${t}`, '5.00');
await pay(`CHK-REFUND-NEW-${t}`, '10.00');
seen.partial = await refund(`CHK-REFUND-NEW-${t}`, '4.00');
seen.rest = await refund(`CHK-REFUND-NEW-${t}`, '6.00');
await pay(`CHK-OVER-REFUND-${t}`, '10.00');
seen.overRefund = await refund(`CHK-OVER-REFUND-${t}`, '20.00');
await pay(`CHK-CANCEL-${t}`, '10.00');
seen.cancel = await cancel(`CHK-CANCEL-${t}`);
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
