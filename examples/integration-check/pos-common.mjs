// What both example POS scripts share: their command line, the order builder and a notification receiver.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

/** --gateway http://127.0.0.1:8080/gateway.do --partner 2088… --key … --tag run1 */
export function posOptions() {
  const { values } = parseArgs({
    options: {
      gateway: { type: 'string', default: 'http://127.0.0.1:8080/gateway.do' },
      partner: { type: 'string', default: '2088101122136241' },
      key: { type: 'string', default: '760bdzec6y9goq7ctyx96ezkz78287de' },
      tag: { type: 'string', default: String(Date.now()) },
    },
  });
  return values;
}

/** The spot pay of one order: a well-formed payment code that the sandbox's default buyer pays. */
export function order(partnerTransId, transAmount, notifyUrl) {
  return {
    partnerTransId,
    transName: 'Flat white',
    currency: 'USD',
    transAmount,
    buyerIdentityCode: '280000000000000001',
    ...(notifyUrl === undefined ? {} : { notifyUrl }),
  };
}

/** A notify_url on loopback that answers each notification with `answer(params)`; `waitFor(n)` counts them. */
export async function notificationReceiver(answer) {
  let count = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      count += 1;
      // The sandbox posts the notification form-encoded in UTF-8 (docs/notifications.md).
      res.end(answer(Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/alipay/notify`,
    /** Waits until `n` notifications arrived (or `ms` passed). */
    async waitFor(n, ms = 10_000) {
      for (const end = Date.now() + ms; count < n && Date.now() < end;) await sleep(50);
      return count;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
