import { CANCEL_SERVICE, PAY_SERVICE, QUERY_SERVICE, REFUND_SERVICE } from '../protocol/constants.js';
import type { Outcome, SequenceOutcome, StepOutcome } from './outcome-schema.js';
import type { Rule } from './rule-schema.js';

/**
 * The step a sequence gives on its n-th match (0-based count of earlier matches in the same scope):
 * steps in turn, then from the start again when `loop`, otherwise the last step for ever.
 */
export function sequenceStep(sequence: SequenceOutcome, matchIndex: number): StepOutcome {
  const { steps } = sequence;
  const n = Math.max(0, Math.floor(matchIndex));
  const at = sequence.loop === true ? n % steps.length : Math.min(n, steps.length - 1);
  // Validation guarantees at least one step.
  return steps[at] as StepOutcome;
}

/** The outcome to apply: the outcome itself, or the current step when it is a sequence. */
export function currentStep(outcome: Outcome, matchIndex: number): StepOutcome {
  return outcome.type === 'sequence' ? sequenceStep(outcome, matchIndex) : outcome;
}

/** The parameter naming the transaction a request is about, per service (for per-transaction progress). */
const TRANSACTION_PARAMS: Readonly<Record<string, readonly string[]>> = {
  [PAY_SERVICE]: ['partner_trans_id'],
  [CANCEL_SERVICE]: ['out_trade_no', 'trade_no'],
  [REFUND_SERVICE]: ['partner_refund_id'],
  [QUERY_SERVICE]: ['partner_trans_id', 'alipay_trans_id'],
};

/**
 * Which requests share one sequence's progress, besides the rule id. A custom rule has one counter
 * ('' — "fails twice then succeeds" counts every matching request of that merchant). A default rule is
 * shared by every merchant, so it counts per partner and transaction: pay per partner_trans_id, cancel
 * per out_trade_no, refund per partner_refund_id, query per partner_trans_id (else alipay_trans_id).
 */
export function sequenceScope(rule: Rule, service: string, params: Readonly<Record<string, string>>): string {
  if (rule.partner !== null) return '';
  const names = TRANSACTION_PARAMS[service] ?? [];
  const id = names.map((n) => (Object.hasOwn(params, n) ? params[n] : undefined)).find((v) => v) ?? '';
  return `${params.partner ?? ''}/${id}`;
}
