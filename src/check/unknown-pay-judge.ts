import { CANCEL_SERVICE, PAY_SERVICE, QUERY_SERVICE, REFUND_SERVICE } from '../protocol/constants.js';
import { answerField, checkTime, type CheckEntry } from './check-entry.js';
import type { Judgement } from './check-verdict.js';
import type { ScenarioInput } from './check-scenario.js';
import { combine, tradeThreads, within, type TradeFinding } from './trade-threads.js';

/** Trade states a query reports as final (docs/protocol.md §7): the result is known. */
const FINAL_STATES = new Set(['TRADE_SUCCESS', 'TRADE_CLOSED', 'TRADE_FINISHED']);

/** Options of the judgement of a payment whose result the POS could not know. */
export interface UnknownPayOptions {
  /** The first reaction must be a query (after SYSTEM_ERROR / UNKNOW), not a cancel straight away. */
  queryFirst: boolean;
  /** Another pay with a new partner_trans_id before the trade is settled fails the trade. */
  forbidNewIdPay: boolean;
}

/** A query that tells a final state, so the POS knows the result. */
export function knowsResult(e: CheckEntry): boolean {
  return e.service === QUERY_SERVICE && FINAL_STATES.has(answerField(e, 'alipay_trans_status') ?? '');
}

/** Judges one trade: after its first pay, the POS must query (and / or) cancel until the result is known. */
function judgeTrade(
  thread: CheckEntry[],
  input: ScenarioInput,
  limit: number,
  opts: UnknownPayOptions,
): TradeFinding | undefined {
  const pay = thread.find((e) => e.service === PAY_SERVICE);
  if (pay === undefined) return undefined;
  const id = pay.partnerTransId ?? '';
  const later = within(thread, pay, limit);
  const settling = later.find((e) => e.service === CANCEL_SERVICE || knowsResult(e));
  const before = settling === undefined ? later : later.filter((e) => e.id < settling.id);
  const ids = (list: CheckEntry[]) => [pay.id, ...list.map((e) => e.id)];
  const refund = before.find((e) => e.service === REFUND_SERVICE);
  if (refund !== undefined) {
    return {
      ok: false,
      text: `${id}: refunded although the payment was never confirmed`,
      entryIds: ids([refund]),
    };
  }
  if (opts.forbidNewIdPay) {
    const until = settling === undefined ? checkTime(pay) + limit * 1000 : checkTime(settling);
    const again = input.entries.find(
      (e) => e.service === PAY_SERVICE && e.id > pay.id && e.partnerTransId !== id && checkTime(e) <= until,
    );
    if (again !== undefined) {
      return {
        ok: false,
        text: `${id}: paid again as ${again.partnerTransId ?? '?'} before the unconfirmed trade was cancelled: the buyer may pay twice`,
        entryIds: ids([again]),
      };
    }
  }
  const queries = (settling === undefined ? before : [...before, settling]).filter(
    (e) => e.service === QUERY_SERVICE,
  );
  if (opts.queryFirst && queries.length === 0) {
    const what = settling === undefined ? 'nothing followed' : 'it was cancelled without a query';
    return {
      ok: false,
      text: `${id}: never queried after the unknown result (${what})`,
      entryIds: ids(later),
    };
  }
  if (settling === undefined) {
    const last = queries.at(-1);
    const state =
      last === undefined
        ? 'no query'
        : `last query: ${last.outcome} ${answerField(last, 'alipay_trans_status') ?? ''}`.trim();
    return {
      ok: false,
      text: `${id}: the result stayed unknown (${state}) and no cancel followed within ${limit} s`,
      entryIds: ids(later),
    };
  }
  const how =
    settling.service === CANCEL_SERVICE
      ? 'cancelled'
      : `queried: ${answerField(settling, 'alipay_trans_status') ?? ''}`;
  return {
    ok: true,
    text: `${id}: ${how} after ${queries.length} quer${queries.length === 1 ? 'y' : 'ies'}`,
    entryIds: ids(before.concat(settling)),
  };
}

/** Judges every trade of the scenario whose payment answer left the result unknown. */
export function judgeUnknownPay(
  input: ScenarioInput,
  limit: number,
  opts: UnknownPayOptions,
  notExercised: string,
): Judgement {
  const findings: TradeFinding[] = [];
  for (const thread of tradeThreads(input.entries).values()) {
    const finding = judgeTrade(thread, input, limit, opts);
    if (finding !== undefined) findings.push(finding);
  }
  return combine(findings, notExercised);
}
