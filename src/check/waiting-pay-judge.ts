import { CANCEL_SERVICE, PAY_SERVICE, QUERY_SERVICE } from '../protocol/constants.js';
import type { CheckEntry } from './check-entry.js';
import type { Judgement } from './check-verdict.js';
import type { ScenarioInput } from './check-scenario.js';
import { combine, tradeThreads, within, type TradeFinding } from './trade-threads.js';
import { knowsResult } from './unknown-pay-judge.js';

/**
 * Fewest seconds between two queries of one trade: Alipay's "about every 3 s" with a third of slack (the
 * sandbox's reading), on the process clock: however the merchant's sandbox clock is moved.
 */
export const MIN_POLL_SECONDS = 2;
/** Most queries of one trade before the POS must cancel: the upper end of Alipay's "10 to 20 times". */
export const MAX_POLLS = 20;

/** Judges one trade whose pay answered UNKNOW: polled at a sane interval, not forever, cancelled at the end. */
function judgeTrade(id: string, thread: CheckEntry[], limit: number): TradeFinding | undefined {
  const pay = thread.find((e) => e.service === PAY_SERVICE && e.outcome === 'UNKNOW');
  if (pay === undefined) return undefined;
  const later = within(thread, pay, limit);
  const cancel = later.find((e) => e.service === CANCEL_SERVICE);
  const queries = later.filter(
    (e) => e.service === QUERY_SERVICE && (cancel === undefined || e.id < cancel.id),
  );
  const known = queries.find(knowsResult);
  const ids = [pay.id, ...queries.map((e) => e.id), ...(cancel === undefined ? [] : [cancel.id])];
  if (queries.length === 0)
    return {
      ok: false,
      text: `${id}: answered UNKNOW but never queried within ${limit} s`,
      entryIds: [pay.id],
    };
  const fast = queries.slice(1).filter((q, i) => {
    const prev = queries[i] as CheckEntry;
    // The pace is load on the gateway, so real time (receivedAt); the limit is the trade's life, sandbox time.
    return q.receivedAt.getTime() - prev.receivedAt.getTime() < MIN_POLL_SECONDS * 1000;
  });
  if (fast.length > 0)
    return {
      ok: false,
      text: `${id}: ${fast.length} of ${queries.length} queries came less than ${MIN_POLL_SECONDS} s after the one before`,
      entryIds: [pay.id, ...fast.map((e) => e.id)],
    };
  const polled = queries.filter((q) => known === undefined || q.id <= known.id).length;
  if (polled > MAX_POLLS)
    return {
      ok: false,
      text: `${id}: queried ${polled} times without cancelling (at most ${MAX_POLLS})`,
      entryIds: ids,
    };
  if (known === undefined && cancel === undefined)
    return {
      ok: false,
      text: `${id}: still WAIT_BUYER_PAY after ${queries.length} queries and not cancelled within ${limit} s`,
      entryIds: ids,
    };
  const end = known === undefined ? 'then cancelled' : 'until a final state';
  return {
    ok: true,
    text: `${id}: polled ${polled} times at least ${MIN_POLL_SECONDS} s apart, ${end}`,
    entryIds: ids,
  };
}

/** After a pay answered UNKNOW (trade WAIT_BUYER_PAY), the POS polls query at a sane pace, then cancels. */
export function judgeWaitingPay(input: ScenarioInput, limit: number): Judgement {
  const findings: TradeFinding[] = [];
  for (const [id, thread] of tradeThreads(input.entries)) {
    const f = judgeTrade(id, thread, limit);
    if (f !== undefined) findings.push(f);
  }
  return combine(findings, 'no pay under this prefix was answered UNKNOW');
}
