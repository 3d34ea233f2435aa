import { paramOf, type CheckDelivery, type CheckEntry } from './check-entry.js';
import { amountPattern, type CheckKeying, type CheckScenario } from './check-scenario.js';
import { CHECK_SCENARIOS } from './check-scenarios.js';
import type { CheckVerdict, EvidenceItem } from './check-verdict.js';

/** What a run saw: the merchant's requests during it and the deliveries of its notifications. */
export interface CheckObservation {
  entries: readonly CheckEntry[];
  deliveries: readonly CheckDelivery[];
}

/** The request as evidence, with links into the request log. */
export function evidenceItem(e: CheckEntry): EvidenceItem {
  return {
    requestId: e.id,
    receivedAt: e.receivedAt.toISOString(),
    sandboxAt: e.sandboxAt?.toISOString() ?? null,
    service: e.service,
    partnerTransId: e.partnerTransId,
    partnerRefundId: paramOf(e, 'partner_refund_id') ?? null,
    outcome: e.outcome,
    signatureOk: e.signature?.ok ?? null,
    apiLink: `/api/requests/${e.id}`,
    consoleLink: `/requests/${e.id}`,
  };
}

/** Whether a trade id belongs to the scenario: always for one over every request. */
type TradeTest = (tradeId: string) => boolean;

/**
 * The scenario's trades: those under its prefix, or in a run keyed by amount, those of which a request
 * carries its amount key (a pay's trans_amount, a refund's refund_amount), with all their requests.
 */
function tradesOf(s: CheckScenario, all: readonly CheckEntry[], keying: CheckKeying): TradeTest {
  const { prefix, amountKey } = s;
  if (prefix === null) return () => true;
  if (keying !== 'amount' || amountKey === null) return (id) => id.startsWith(prefix);
  const pattern = new RegExp(amountPattern(amountKey));
  const ids = new Set<string>();
  for (const e of all) {
    const amount = paramOf(e, amountKey.field);
    if (e.partnerTransId !== null && amount !== undefined && pattern.test(amount)) ids.add(e.partnerTransId);
  }
  return (id) => ids.has(id);
}

/** The findings' words for the scenario's key: "under this prefix" reads "with a trans_amount of *.61" when keyed by amount. */
function keyWords(s: CheckScenario, keying: CheckKeying, text: string): string {
  if (keying !== 'amount' || s.amountKey === null) return text;
  return text.replace('under this prefix', `with a ${s.amountKey.field} of *.${s.amountKey.cents}`);
}

/** Judges one scenario over the run's requests. */
function verdictOf(
  s: CheckScenario,
  seen: CheckObservation,
  all: CheckEntry[],
  keying: CheckKeying,
): CheckVerdict {
  const prefix = s.prefix;
  const isMine = tradesOf(s, all, keying);
  const mine =
    prefix === null ? all : all.filter((e) => e.partnerTransId !== null && isMine(e.partnerTransId));
  const deliveries = prefix === null ? [] : seen.deliveries.filter((d) => isMine(d.partnerTransId));
  const judged = s.judge({ entries: mine, all, deliveries }, s.timeLimitSeconds);
  const j = { ...judged, findings: judged.findings.map((f) => keyWords(s, keying, f)) };
  // The signature scenario's evidence is only the flagged requests: the whole run would drown them.
  const evidence = prefix === null ? all.filter((e) => j.entryIds.includes(e.id)) : mine;
  return {
    scenario: s.id,
    title: s.title,
    status: j.status,
    findings: j.findings,
    expected: s.expected,
    cites: s.cites,
    sandboxReading: s.sandboxReading,
    flaggedRequestIds: j.status === 'failed' ? j.entryIds : [],
    evidence: evidence.map(evidenceItem),
  };
}

/** The verdict on every scenario, from the requests of a run in any order (they are sorted by id). */
export function evaluateCheck(
  seen: CheckObservation,
  scenarios: readonly CheckScenario[] = CHECK_SCENARIOS,
  keying: CheckKeying = 'prefix',
): CheckVerdict[] {
  const all = [...seen.entries].sort((a, b) => a.id - b.id);
  return scenarios.map((s) => verdictOf(s, seen, all, keying));
}
