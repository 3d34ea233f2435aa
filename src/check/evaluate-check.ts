import { paramOf, type CheckDelivery, type CheckEntry } from './check-entry.js';
import type { CheckScenario } from './check-scenario.js';
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

/** Judges one scenario over the run's requests. */
function verdictOf(s: CheckScenario, seen: CheckObservation, all: CheckEntry[]): CheckVerdict {
  const prefix = s.prefix;
  const mine = prefix === null ? all : all.filter((e) => e.partnerTransId?.startsWith(prefix) ?? false);
  const deliveries =
    prefix === null ? [] : seen.deliveries.filter((d) => d.partnerTransId.startsWith(prefix));
  const j = s.judge({ entries: mine, all, deliveries }, s.timeLimitSeconds);
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
): CheckVerdict[] {
  const all = [...seen.entries].sort((a, b) => a.id - b.id);
  return scenarios.map((s) => verdictOf(s, seen, all));
}
