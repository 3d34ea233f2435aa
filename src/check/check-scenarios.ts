import { CANCEL_SERVICE, PAY_SERVICE, REFUND_SERVICE } from '../protocol/constants.js';
import { judgeCancelUnknown } from './cancel-unknown-judge.js';
import type { CheckScenario } from './check-scenario.js';
import { judgeOverRefund, judgeRefundNewId, judgeRefundRetry } from './refund-judges.js';
import {
  judgeBadlySignedNotifications,
  judgeCancelAfterPay,
  judgeLateNotifications,
  judgeNotifications,
  judgeSignatures,
} from './trade-judges.js';
import { judgeUnknownPay } from './unknown-pay-judge.js';
import { judgeWaitingPay } from './waiting-pay-judge.js';

const REF = 'docs/reference/alipay-mapi-protocol.md';

/** The scenarios of the integration check, in report order (docs/integration-check.md). */
export const CHECK_SCENARIOS: readonly CheckScenario[] = [
  {
    id: 'pay-system-error',
    title: 'Pay answered SYSTEM_ERROR: query, then cancel if still unknown',
    prefix: 'CHK-SYSERR-',
    amountKey: { field: 'trans_amount', cents: '61' },
    setup: [
      { service: PAY_SERVICE, then: { type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR' } },
    ],
    expected:
      'Query the same partner_trans_id; if no query reports TRADE_SUCCESS, TRADE_CLOSED or TRADE_FINISHED, cancel it. Never refund it before then.',
    cites: [`${REF} §3.3`, `${REF} §7.5`, 'docs/protocol.md §6.4', 'docs/protocol.md §7'],
    sandboxReading:
      'Alipay says to query about every 3 s, 10 to 20 times; the check asks for at least one query and takes TRADE_NOT_EXIST as "still unknown".',
    timeLimitSeconds: 120,
    judge: (input, limit) =>
      judgeUnknownPay(input, limit, { queryFirst: true, forbidNewIdPay: false }, 'no pay under this prefix'),
  },
  {
    id: 'pay-no-answer',
    title: 'Pay with no answer (connection reset): settle the trade, never pay it twice with a new id',
    prefix: 'CHK-NOANSWER-',
    amountKey: { field: 'trans_amount', cents: '62' },
    setup: [{ service: PAY_SERVICE, then: { type: 'fault', fault: 'reset', effect: 'create_trade' } }],
    expected:
      'Query the same partner_trans_id and cancel it unless a query reports a final state; do not start another pay with a new partner_trans_id before the first is settled.',
    cites: [`${REF} §7.5`, `${REF} §4.3`, 'docs/protocol.md §6.2', 'docs/protocol.md §8'],
    sandboxReading:
      'Alipay says "query, then cancel"; a cancel straight away is accepted too, as it is just as safe.',
    timeLimitSeconds: 120,
    judge: (input, limit) =>
      judgeUnknownPay(input, limit, { queryFirst: false, forbidNewIdPay: true }, 'no pay under this prefix'),
  },
  {
    id: 'pay-bad-signature',
    title: 'Badly signed SUCCESS: not taken as paid',
    prefix: 'CHK-BADSIGN-',
    amountKey: { field: 'trans_amount', cents: '63' },
    setup: [
      { service: PAY_SERVICE, then: { type: 'broken', kind: 'bad_signature', effect: 'create_trade' } },
    ],
    expected:
      'Treat the answer as unknown: query the trade (a correctly signed query tells the truth) or cancel it; never act on it as paid.',
    cites: [`${REF} §9.4`, `${REF} §10.4`, 'docs/protocol.md §4'],
    sandboxReading:
      "That a badly signed answer counts as unknown is this sandbox's reading of the response-signing rules.",
    timeLimitSeconds: 120,
    judge: (input, limit) =>
      judgeUnknownPay(input, limit, { queryFirst: false, forbidNewIdPay: true }, 'no pay under this prefix'),
  },
  {
    id: 'pay-wait-buyer-pay',
    title: 'Pay answered UNKNOW (WAIT_BUYER_PAY): poll at a sane pace, then cancel',
    prefix: 'CHK-WAIT-',
    amountKey: { field: 'trans_amount', cents: '64' },
    setup: [{ service: PAY_SERVICE, then: { type: 'business', result_code: 'UNKNOW', effect: 'pending' } }],
    expected:
      'Query the trade about every 3 s, 10 to 20 times; when no query reports a final state, cancel it before it closes by itself.',
    cites: [`${REF} §3.3`, `${REF} §7.5`, 'docs/protocol.md §7'],
    sandboxReading:
      'Queries less than 2 s apart fail ("about every 3 s", with slack); more than 20 queries without a final state fail; the trade never resolves, so a cancel must follow within 180 s (the auto-close).',
    timeLimitSeconds: 180,
    judge: (input, limit) => judgeWaitingPay(input, limit),
  },
  {
    id: 'refund-retry-same-id',
    title: 'A retried refund keeps its partner_refund_id',
    prefix: 'CHK-REFUND-RETRY-',
    amountKey: { field: 'refund_amount', cents: '65' },
    setup: [
      {
        service: REFUND_SERVICE,
        then: { type: 'sequence', steps: [{ type: 'business', result_code: 'UNKNOW' }, { type: 'normal' }] },
      },
    ],
    expected:
      'After a refund answered UNKNOW (or SYSTEM_ERROR, or no answer), send it again with the same partner_refund_id and amount.',
    cites: [`${REF} §7.5`, `${REF} §8.2`, 'docs/protocol.md §6.3', 'docs/protocol.md §8'],
    sandboxReading: null,
    timeLimitSeconds: 120,
    judge: (input, limit) => judgeRefundRetry(input, limit),
  },
  {
    id: 'refund-new-id',
    title: 'A new refund gets a new partner_refund_id (partial, then the rest)',
    prefix: 'CHK-REFUND-NEW-',
    amountKey: { field: 'trans_amount', cents: '66' },
    setup: [],
    expected:
      'Give every new refund of a trade its own partner_refund_id; reuse an id only to retry a refund whose result is unknown.',
    cites: [`${REF} §8.2`, 'docs/protocol.md §6.3', 'docs/protocol.md §8'],
    sandboxReading:
      'Reusing an id after a final answer is judged a new refund, as the sandbox cannot see intent.',
    timeLimitSeconds: 300,
    judge: (input) => judgeRefundNewId(input),
  },
  {
    id: 'over-refund',
    title: 'An over-refund refused is taken as final',
    prefix: 'CHK-OVER-REFUND-',
    amountKey: { field: 'trans_amount', cents: '67' },
    setup: [],
    expected:
      'After RETURN_AMOUNT_EXCEED or REQUEST_AMOUNT_EXCEED, do not send the same refund again; refund at most what is left.',
    cites: ['docs/protocol.md §6.3', `${REF} §7.3`, `${REF} §7.5`],
    sandboxReading: 'Alipay says only "fix the request"; an unchanged resend is what the check flags.',
    timeLimitSeconds: 120,
    judge: (input, limit) => judgeOverRefund(input, limit),
  },
  {
    id: 'cancel-after-pay',
    title: 'Cancel after pay, retried on retry_flag=Y',
    prefix: 'CHK-CANCEL-',
    amountKey: null,
    setup: [
      {
        service: CANCEL_SERVICE,
        then: {
          type: 'sequence',
          steps: [
            { type: 'business', result_code: 'FAIL', error: 'SYSTEM_ERROR', fields: { retry_flag: 'Y' } },
            { type: 'normal' },
          ],
        },
      },
    ],
    expected:
      'Cancel the paid trade; when the cancel answers retry_flag=Y, cancel again until it answers SUCCESS.',
    cites: ['docs/protocol.md §6.2', `${REF} §4.3`, `${REF} §7.5`],
    sandboxReading: null,
    timeLimitSeconds: 120,
    judge: (input, limit) => judgeCancelAfterPay(input, limit),
  },
  {
    id: 'cancel-unknown-trade',
    title: 'Cancel of a trade never paid: TRADE_NOT_EXIST taken as final',
    prefix: 'CHK-NOTRADE-',
    amountKey: null,
    setup: [],
    expected:
      'Cancel an order that was never paid (out_trade_no under the prefix, no pay sent); take the answer FAIL / TRADE_NOT_EXIST as final: do not send the cancel again and do not pay under that partner_trans_id afterwards.',
    cites: ['docs/protocol.md §6.2', `${REF} §4`, `${REF} §7.5`, `${REF} §15`],
    sandboxReading:
      "The answer (FAIL / TRADE_NOT_EXIST, retry_flag=N) is this sandbox's decision (ref §15); that the POS must not resend it nor pay the id afterwards is its reading of retry_flag=N.",
    timeLimitSeconds: 0,
    judge: (input) => judgeCancelUnknown(input),
  },
  {
    id: 'notification-success',
    title: 'Notifications answered success (also a duplicate)',
    prefix: 'CHK-NOTIFY-',
    amountKey: { field: 'trans_amount', cents: '68' },
    setup: [{ service: PAY_SERVICE, then: { type: 'normal', notify: { mode: 'duplicate' } } }],
    expected: 'Answer every notification, a duplicate too, with the body success.',
    cites: [`${REF} §12`, 'docs/notifications.md'],
    sandboxReading: 'Surrounding whitespace around success is accepted, as the delivery worker accepts it.',
    timeLimitSeconds: 300,
    judge: (input) => judgeNotifications(input),
  },
  {
    id: 'notification-out-of-order',
    title: 'A notification delivered out of order is answered success',
    prefix: 'CHK-LATENOTIFY-',
    amountKey: { field: 'trans_amount', cents: '69' },
    setup: [
      {
        service: PAY_SERVICE,
        then: { type: 'normal', notify: { mode: 'out_of_order', delaySeconds: 30 } },
      },
    ],
    expected:
      'Pay with a notify_url, then cancel the trade: the paid notification is held back until the cancel notification was delivered. Answer both with success, whatever their order.',
    cites: [`${REF} §12`, 'docs/notifications.md'],
    sandboxReading:
      "Only the answer is observable: tolerance means answering success to the late one too; whether the POS's own state ends closed is not visible to the sandbox.",
    timeLimitSeconds: 300,
    judge: (input) => judgeLateNotifications(input),
  },
  {
    id: 'notification-bad-signature',
    title: 'A mis-signed notification is refused',
    prefix: 'CHK-BADNOTIFY-',
    amountKey: { field: 'trans_amount', cents: '70' },
    setup: [{ service: PAY_SERVICE, then: { type: 'normal', notify: { mode: 'bad_signature' } } }],
    expected:
      'Verify the signature of every notification; answer one that does not verify with anything but success (and do not act on it).',
    cites: [`${REF} §12`, 'docs/notifications.md'],
    sandboxReading:
      'Only the answer is observable: any answer other than success (another body, an error status, no answer) counts as refused.',
    timeLimitSeconds: 300,
    judge: (input) => judgeBadlySignedNotifications(input),
  },
  {
    id: 'signatures',
    title: 'Every request correctly signed',
    prefix: null,
    amountKey: null,
    setup: [],
    expected:
      'Sign every request with the declared sign_type over the parameters in the declared _input_charset.',
    cites: ['docs/protocol.md §1.1', 'docs/protocol.md §3', `${REF} §9.3`],
    sandboxReading: null,
    timeLimitSeconds: 0,
    judge: (input) => judgeSignatures(input),
  },
];
