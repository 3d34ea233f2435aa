import { checkTime, type CheckEntry } from './check-entry.js';
import type { Judgement } from './check-verdict.js';

/** The entries of each trade (by partner_trans_id, out_trade_no for cancel), in the order received. */
export function tradeThreads(entries: readonly CheckEntry[]): Map<string, CheckEntry[]> {
  const threads = new Map<string, CheckEntry[]>();
  for (const e of entries) {
    if (e.partnerTransId === null) continue;
    const list = threads.get(e.partnerTransId) ?? [];
    list.push(e);
    threads.set(e.partnerTransId, list);
  }
  return threads;
}

/** The entries after `from` within the time limit, in sandbox time (checkTime). */
export function within(entries: readonly CheckEntry[], from: CheckEntry, seconds: number): CheckEntry[] {
  const until = checkTime(from) + seconds * 1000;
  return entries.filter((e) => e.id > from.id && checkTime(e) <= until);
}

/** One trade's finding: failed with a reason, or passed with what was seen. */
export interface TradeFinding {
  ok: boolean;
  text: string;
  entryIds: number[];
}

/** Combines the findings of the triggered trades: failed if any failed, not exercised if none. */
export function combine(findings: readonly TradeFinding[], notExercised: string): Judgement {
  if (findings.length === 0) return { status: 'not_exercised', findings: [notExercised], entryIds: [] };
  const failed = findings.filter((f) => !f.ok);
  const shown = failed.length > 0 ? failed : findings;
  return {
    status: failed.length > 0 ? 'failed' : 'passed',
    findings: shown.map((f) => f.text),
    entryIds: shown.flatMap((f) => f.entryIds),
  };
}
