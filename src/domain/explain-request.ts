import type { Clock } from '../clock.js';
import { DEFAULT_RULES } from '../rules/default-rules.js';
import { explainCandidates, type CandidateExplanation } from '../rules/explain-candidates.js';
import { toIndexedRule } from '../rules/rule-engine.js';
import { merchantNow } from '../ledger/sandbox-clock.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { RuleStore } from '../rules/rule-store.js';
import type { RequestLogEntry } from '../ports/request-log.js';

/** Why a logged request got its answer: the rules it was tried against, as they are now. */
export interface RequestExplanation {
  requestId: number;
  partner: string | null;
  service: string | null;
  answeredBy: { id: string; name: string | null } | null;
  /** False when the gateway or parameter validation refused it before the mock rules. */
  reachedRules: boolean;
  candidates: Array<CandidateExplanation & { answered: boolean }>;
}

/**
 * Whether the logged request got as far as the mock rules: a rule answered it, or it passed the
 * gateway checks and parameter validation (both leave a `reason`; a plain service answer does not).
 */
function reachedRules(e: RequestLogEntry): boolean {
  return e.ruleId !== null || (e.gatewayError === null && e.reason === null);
}

/** The parameters as the gateway matched them: empty values count as absent. */
function matchParams(e: RequestLogEntry): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of e.params) if (p.value !== '') values[p.name] = p.value;
  return values;
}

/**
 * "Why did nothing match", computed only when asked (GET /api/requests/:id/explain, the console's
 * request page): the logged request's candidates under the rules, switches and merchant clock as
 * they are now.
 */
export async function explainRequest(
  store: RuleStore & Pick<LedgerStore, 'getMerchant' | 'getMerchantClock'>,
  clock: Clock,
  entry: RequestLogEntry,
): Promise<RequestExplanation> {
  const answeredBy = entry.ruleId === null ? null : { id: entry.ruleId, name: entry.ruleName };
  const base = { requestId: entry.id, partner: entry.partner, service: entry.service, answeredBy };
  const { partner, service } = entry;
  if (partner === null || service === null || !(await store.getMerchant(partner))) {
    return { ...base, reachedRules: false, candidates: [] };
  }
  const stored = await store.listRules({ partner });
  const candidates = explainCandidates({
    rules: [...DEFAULT_RULES, ...stored.map(toIndexedRule)],
    partner,
    service,
    params: matchParams(entry),
    disabledDefaults: await store.listDisabledDefaultRules(partner),
    usedUp: new Map(stored.filter((r) => r.times !== null && r.hits >= r.times).map((r) => [r.id, r.hits])),
    now: await merchantNow(store, clock, partner),
  });
  return {
    ...base,
    reachedRules: reachedRules(entry),
    candidates: candidates.map((c) => ({ ...c, answered: c.id === entry.ruleId })),
  };
}
