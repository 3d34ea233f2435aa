import { CANCEL_SERVICE, PAY_SERVICE } from '../protocol/constants.js';
import { answerField, paramOf, type CheckDelivery } from './check-entry.js';
import type { Judgement } from './check-verdict.js';
import type { ScenarioInput } from './check-scenario.js';
import { combine, tradeThreads, within, type TradeFinding } from './trade-threads.js';

/** After a paid trade's cancel answered retry_flag=Y, the POS cancels again until it gets SUCCESS. */
export function judgeCancelAfterPay(input: ScenarioInput, limit: number): Judgement {
  const findings: TradeFinding[] = [];
  for (const [id, thread] of tradeThreads(input.entries)) {
    const pay = thread.find((e) => e.service === PAY_SERVICE && e.outcome === 'SUCCESS');
    const cancels = thread.filter((e) => e.service === CANCEL_SERVICE && pay !== undefined && e.id > pay.id);
    const first = cancels[0];
    if (pay === undefined || first === undefined) continue;
    const retryAsked = cancels.find((e) => answerField(e, 'retry_flag') === 'Y');
    if (retryAsked === undefined) {
      findings.push({
        ok: first.outcome === 'SUCCESS',
        text: `${id}: cancelled after pay, answered ${first.outcome}`,
        entryIds: [pay.id, first.id],
      });
      continue;
    }
    const done = within(cancels, retryAsked, limit).find((e) => e.outcome === 'SUCCESS');
    findings.push(
      done === undefined
        ? {
            ok: false,
            text: `${id}: the cancel answered ${retryAsked.outcome} with retry_flag=Y and was not sent again until it succeeded within ${limit} s`,
            entryIds: [pay.id, retryAsked.id],
          }
        : {
            ok: true,
            text: `${id}: cancel retried after retry_flag=Y, then ${done.outcome} (action ${answerField(done, 'action') ?? '?'})`,
            entryIds: [pay.id, retryAsked.id, done.id],
          },
    );
  }
  return combine(findings, 'no paid trade under this prefix was cancelled');
}

/** Every notification attempt of the scenario's trades is answered with exactly `success`. */
export function judgeNotifications(input: ScenarioInput): Judgement {
  const pays = input.entries.filter((e) => e.service === PAY_SERVICE);
  if (input.deliveries.length === 0) {
    const hint = pays.some((e) => paramOf(e, 'notify_url') !== undefined)
      ? 'no notification was delivered yet during the run'
      : 'no pay under this prefix carried a notify_url';
    return { status: 'not_exercised', findings: [hint], entryIds: [] };
  }
  const findings: TradeFinding[] = input.deliveries.map((d) => {
    const body = d.responseBody ?? '';
    // The delivery worker counts surrounding whitespace as harmless (docs/notifications.md).
    const ok = d.responseStatus !== null && body.trim() === 'success';
    return {
      ok,
      text: `${d.partnerTransId}: notification ${d.notificationId} attempt ${d.attempt} answered ${answerOf(d)}`,
      entryIds: [],
    };
  });
  return combine(findings, '');
}

/** A notification held back (mode out_of_order) and the others of its trades are all answered `success`. */
export function judgeLateNotifications(input: ScenarioInput): Judgement {
  if (!input.deliveries.some((d) => d.mode === 'out_of_order'))
    return {
      status: 'not_exercised',
      findings: [
        'no held-back notification was delivered yet (pay with a notify_url, then cancel the trade)',
      ],
      entryIds: [],
    };
  return judgeNotifications(input);
}

/** The merchant's answer to one attempt, for a finding: its status and the start of its body. */
function answerOf(d: CheckDelivery): string {
  return d.responseStatus === null
    ? 'no HTTP answer'
    : `HTTP ${d.responseStatus} "${(d.responseBody ?? '').slice(0, 40)}"`;
}

/** No mis-signed notification (mode bad_signature) of the scenario's trades is answered `success`. */
export function judgeBadlySignedNotifications(input: ScenarioInput): Judgement {
  const bad = input.deliveries.filter((d) => d.mode === 'bad_signature');
  const findings: TradeFinding[] = bad.map((d) => ({
    // Refused as the delivery worker sees it: no answer, or a body other than `success` (any status).
    ok: d.responseStatus === null || (d.responseBody ?? '').trim() !== 'success',
    text: `${d.partnerTransId}: mis-signed notification ${d.notificationId} attempt ${d.attempt} answered ${answerOf(d)}`,
    entryIds: [],
  }));
  return combine(
    findings,
    'no mis-signed notification was delivered yet during the run (pay with a notify_url)',
  );
}

/** Every request of the run is correctly signed with its declared sign_type and charset. */
export function judgeSignatures(input: ScenarioInput): Judgement {
  const bad = input.all.filter(
    (e) =>
      e.signature?.ok === false ||
      (e.gatewayError?.startsWith('ILLEGAL_SIGN') ?? false) ||
      e.gatewayError === 'ILLEGAL_CHARSET',
  );
  if (input.all.length === 0)
    return { status: 'not_exercised', findings: ['no request during the run'], entryIds: [] };
  if (bad.length === 0)
    return {
      status: 'passed',
      findings: [`${input.all.length} requests, all correctly signed`],
      entryIds: [],
    };
  return {
    status: 'failed',
    findings: bad.map((e) => `request ${e.id} (${e.service ?? 'no service'}): ${e.outcome}`),
    entryIds: bad.map((e) => e.id),
  };
}
