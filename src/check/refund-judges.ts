import { REFUND_SERVICE } from '../protocol/constants.js';
import { paramOf, type CheckEntry } from './check-entry.js';
import type { Judgement } from './check-verdict.js';
import type { ScenarioInput } from './check-scenario.js';
import { combine, tradeThreads, within, type TradeFinding } from './trade-threads.js';

/** A refund answer that does not tell the result (docs/reference/alipay-mapi-protocol.md §7.5). */
export function refundUnsettled(e: CheckEntry): boolean {
  return e.outcome === 'UNKNOW' || e.outcome.endsWith(':SYSTEM_ERROR') || e.outcome.startsWith('fault:');
}

const refundsOf = (thread: CheckEntry[]) => thread.filter((e) => e.service === REFUND_SERVICE);
const refundId = (e: CheckEntry) => paramOf(e, 'partner_refund_id') ?? '';
const refundAmount = (e: CheckEntry) => paramOf(e, 'refund_amount') ?? '';

/** After a refund with no result, the POS sends it again with the same partner_refund_id and amount. */
export function judgeRefundRetry(input: ScenarioInput, limit: number): Judgement {
  const findings: TradeFinding[] = [];
  for (const [id, thread] of tradeThreads(input.entries)) {
    const refunds = refundsOf(thread);
    const first = refunds.find(refundUnsettled);
    if (first === undefined) continue;
    const retry = within(refunds, first, limit)[0];
    if (retry === undefined) {
      findings.push({
        ok: false,
        text: `${id}: the refund ${refundId(first)} got ${first.outcome} and was never sent again within ${limit} s`,
        entryIds: [first.id],
      });
    } else if (refundId(retry) !== refundId(first) || refundAmount(retry) !== refundAmount(first)) {
      findings.push({
        ok: false,
        text: `${id}: the retry of refund ${refundId(first)} (${refundAmount(first)}) came as ${refundId(retry)} (${refundAmount(retry)}): a new id can refund the buyer twice`,
        entryIds: [first.id, retry.id],
      });
    } else {
      findings.push({
        ok: true,
        text: `${id}: refund ${refundId(first)} retried with the same id, answered ${retry.outcome}`,
        entryIds: [first.id, retry.id],
      });
    }
  }
  return combine(findings, 'no refund under this prefix got an unknown answer');
}

/** Each new refund of a trade has its own partner_refund_id: an id already answered finally is not reused. */
export function judgeRefundNewId(input: ScenarioInput): Judgement {
  const findings: TradeFinding[] = [];
  for (const [id, thread] of tradeThreads(input.entries)) {
    const refunds = refundsOf(thread);
    if (refunds.length < 2) continue;
    const answered = new Map<string, CheckEntry>();
    let reuse: TradeFinding | undefined;
    for (const r of refunds) {
      const earlier = answered.get(refundId(r));
      if (earlier !== undefined && reuse === undefined) {
        reuse = {
          ok: false,
          text: `${id}: partner_refund_id ${refundId(r)} was answered ${earlier.outcome} and then sent again for another refund (${refundAmount(r)}), answered ${r.outcome}`,
          entryIds: [earlier.id, r.id],
        };
      }
      if (!refundUnsettled(r)) answered.set(refundId(r), r);
    }
    findings.push(
      reuse ?? {
        ok: true,
        text: `${id}: ${answered.size} refunds, each with its own partner_refund_id`,
        entryIds: refunds.map((r) => r.id),
      },
    );
  }
  return combine(findings, 'no trade under this prefix had two refunds');
}

/** A refund refused for exceeding the amount is final: the POS does not send the same one again. */
export function judgeOverRefund(input: ScenarioInput, limit: number): Judgement {
  const findings: TradeFinding[] = [];
  for (const [id, thread] of tradeThreads(input.entries)) {
    const refunds = refundsOf(thread);
    const over = refunds.find((e) => /:(RETURN|REQUEST)_AMOUNT_EXCEED$/.test(e.outcome));
    if (over === undefined) continue;
    const again = within(refunds, over, limit).find(
      (e) => refundId(e) === refundId(over) && refundAmount(e) === refundAmount(over),
    );
    findings.push(
      again === undefined
        ? { ok: true, text: `${id}: ${over.outcome} taken as final`, entryIds: [over.id] }
        : {
            ok: false,
            text: `${id}: the refused refund ${refundId(over)} (${over.outcome}) was sent again unchanged`,
            entryIds: [over.id, again.id],
          },
    );
  }
  return combine(findings, 'no refund under this prefix asked for more than was left');
}
