import type { Condition } from './condition-schema.js';
import type { Outcome, StepOutcome } from './outcome-schema.js';
import type { RuleService } from './result-codes.js';
import type { Rule } from './rule-schema.js';

/** A built-in default rule: partner null, a stable id, enabled, priority 0. */
export type DefaultRule = Rule & { id: string; partner: null };

/** Builds one default rule. */
export function defaultRule(
  id: string,
  service: RuleService,
  name: string,
  when: Condition[],
  then: Outcome,
): DefaultRule {
  return { id, partner: null, service, name, priority: 0, enabled: true, when, then };
}

/** `trans_amount` equal to this amount, compared as a number ("9901" and "9901.00" both trigger). */
export function amountIs(amount: string): Condition[] {
  return [{ field: 'trans_amount', op: 'eq', value: amount }];
}

/** The named id parameter starts with this prefix. */
export function idStartsWith(field: string, prefix: string): Condition[] {
  return [{ field, op: 'prefix', value: prefix }];
}

/** Lower-kebab form of a code for rule ids: SYSTEM_ERROR → system-error. */
export function kebab(code: string): string {
  return code.toLowerCase().replace(/_/g, '-');
}

/** A business answer that leaves the ledger untouched. */
export function business(result_code: 'FAILED' | 'FAIL' | 'UNKNOW' | 'UNKNOWN', error?: string): StepOutcome {
  return error === undefined
    ? { type: 'business', result_code, effect: 'none' }
    : { type: 'business', result_code, error, effect: 'none' };
}

/** A cancel failure shaped like the real one: out_trade_no echoed, retry_flag Y or N. */
export function cancelFailure(result_code: 'FAIL' | 'UNKNOWN', retry: boolean, error?: string): StepOutcome {
  const fields = { out_trade_no: '{{out_trade_no}}', retry_flag: retry ? 'Y' : 'N' };
  return error === undefined
    ? { type: 'business', result_code, fields, effect: 'none' }
    : { type: 'business', result_code, error, fields, effect: 'none' };
}

/** Fails (or stays silent) `times` times, then behaves normally. */
export function failThenNormal(step: StepOutcome, times = 1): Outcome {
  return { type: 'sequence', steps: [...Array<StepOutcome>(times).fill(step), { type: 'normal' }] };
}
