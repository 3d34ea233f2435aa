import type { RuleService } from '../rules/result-codes.js';
import type { Outcome } from '../rules/outcome-schema.js';
import type { CheckDelivery, CheckEntry } from './check-entry.js';
import type { Judgement } from './check-verdict.js';

/** How a run arms its scenarios: by trade id prefix (the default), or by an amount where a scenario has one. */
export const CHECK_KEYINGS = ['prefix', 'amount'] as const;

/** One of CHECK_KEYINGS. */
export type CheckKeying = (typeof CHECK_KEYINGS)[number];

/**
 * A scenario's amount key: requests whose `field` is an amount with these two decimals (`12.61`) trigger
 * it in a run keyed by amount. Never a whole amount, so never one of the default rules' (docs/rules.md).
 */
export interface AmountKey {
  field: 'trans_amount' | 'refund_amount';
  /** Two digits, not `00`. */
  cents: string;
}

/** The RE2 pattern (also a JavaScript one) of the amounts that carry the key: digits, a point, the cents. */
export function amountPattern(key: AmountKey): string {
  return `^[0-9]+\\.${key.cents}$`;
}

/** One rule a scenario arms for a run: requests of `service` whose trade id starts with the scenario's prefix get `then`. */
export interface ScenarioRule {
  service: RuleService;
  then: Outcome;
}

/** What a scenario judges: its requests (the trades under its key) and the whole run's, in order. */
export interface ScenarioInput {
  /** Requests of the scenario's trades: those whose partner_trans_id (out_trade_no for cancel) starts with its prefix, or, keyed by amount, the trades a request with its amount key belongs to. */
  entries: CheckEntry[];
  /** Every request of the run's merchant during the run. */
  all: CheckEntry[];
  /** Notification deliveries of the scenario's trades. */
  deliveries: CheckDelivery[];
}

/** A named scenario of the integration check (docs/integration-check.md). */
export interface CheckScenario {
  id: string;
  title: string;
  /** The trade id prefix that triggers it; null for a scenario over every request of the run. */
  prefix: string | null;
  /** Its key in a run keyed by amount; null when its requests carry no amount (it keeps its prefix then). */
  amountKey: AmountKey | null;
  /** Rules armed while the run lasts. */
  setup: ScenarioRule[];
  /** What the POS should do, in words. */
  expected: string;
  /** Sections of docs/protocol.md and docs/reference/alipay-mapi-protocol.md it checks. */
  cites: string[];
  /** Where the expectation is this sandbox's reading rather than Alipay's words; null when it is Alipay's. */
  sandboxReading: string | null;
  /** How long after the triggering request the POS's reaction counts. */
  timeLimitSeconds: number;
  judge(input: ScenarioInput, timeLimitSeconds: number): Judgement;
}
