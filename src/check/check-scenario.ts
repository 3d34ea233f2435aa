import type { RuleService } from '../rules/result-codes.js';
import type { Outcome } from '../rules/outcome-schema.js';
import type { CheckDelivery, CheckEntry } from './check-entry.js';
import type { Judgement } from './check-verdict.js';

/** One rule a scenario arms for a run: requests of `service` whose trade id starts with the scenario's prefix get `then`. */
export interface ScenarioRule {
  service: RuleService;
  then: Outcome;
}

/** What a scenario judges: its requests (trade id under its prefix) and the whole run's, in order. */
export interface ScenarioInput {
  /** Requests whose partner_trans_id (out_trade_no for cancel) starts with the scenario's prefix. */
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
