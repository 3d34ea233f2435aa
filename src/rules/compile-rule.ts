import type { Condition } from './condition-schema.js';
import { OPERATORS, type FieldTest } from './condition-operators.js';
import { ORDERING_OPS } from './condition-schema.js';
import { parseDecimal } from './decimal.js';
import { MAX_REGEX_INPUT } from './linear-regex.js';
import { toMatchContext, type MatchContext } from './match-context.js';
import type { Rule } from './rule-schema.js';

export { createMatchContext, MatchContext } from './match-context.js';

/** A condition prepared once: the parameter, the path inside it, and the compiled test. */
export interface CompiledCondition {
  readonly condition: Condition;
  readonly param: string;
  readonly path: readonly string[];
  readonly test: FieldTest;
}

/** A rule prepared once for matching: conditions compiled, expiry as epoch milliseconds. */
export interface CompiledRule<R extends Rule = Rule> {
  readonly rule: R;
  readonly conditions: readonly CompiledCondition[];
  readonly expiresAtMs: number | undefined;
}

/** What `matches` and `explainMismatch` accept: bare parameters or a per-request context. */
export type MatchInput = MatchContext | Readonly<Record<string, string>>;

function compileCondition(condition: Condition): CompiledCondition {
  const [param = '', ...path] = condition.field.split('.');
  return { condition, param, path, test: OPERATORS[condition.op](condition) };
}

/** Prepares a validated rule for matching: regexes compiled, `in` lists as Sets, JSON paths split. */
export function compileRule<R extends Rule>(rule: R): CompiledRule<R> {
  return {
    rule,
    conditions: rule.when.map(compileCondition),
    expiresAtMs: rule.expiresAt === undefined ? undefined : Date.parse(rule.expiresAt),
  };
}

/** True when every condition holds for these parameters (a rule without conditions always matches). */
export function matches(compiled: CompiledRule, input: MatchInput): boolean {
  const ctx = toMatchContext(input);
  for (const c of compiled.conditions) {
    if (!c.test(ctx.resolve(c.param, c.path))) return false;
  }
  return true;
}

/** True once the rule's `expiresAt` has passed. */
export function isExpired(compiled: CompiledRule, now: Date): boolean {
  return compiled.expiresAtMs !== undefined && now.getTime() >= compiled.expiresAtMs;
}

function shown(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function wanted(c: Condition): string {
  if (c.op === 'exists') return 'it present';
  if (c.op === 'absent') return 'it absent';
  const value = Array.isArray(c.value) ? `[${c.value.map(shown).join(', ')}]` : shown(c.value ?? '');
  return `${c.op} ${value}`;
}

function actual(c: CompiledCondition, ctx: MatchContext, value: string | undefined): string {
  if (value === undefined) {
    if (c.path.length > 0 && ctx.param(c.param) !== undefined && ctx.json(c.param) === undefined) {
      return `absent (${c.param} is not valid JSON)`;
    }
    return 'absent';
  }
  if (c.condition.op === 'regex' && value.length > MAX_REGEX_INPUT) {
    return `${shown(value)} (${value.length} characters: a regex examines at most ${MAX_REGEX_INPUT})`;
  }
  const notNumber = ORDERING_OPS.has(c.condition.op) && parseDecimal(value) === undefined;
  return notNumber ? `${shown(value)} (not a number)` : shown(value);
}

/** For each failing condition, why in plain words ("trans_amount is 10.00, rule wants eq 12.34"). */
export function explainMismatch(compiled: CompiledRule, input: MatchInput): string[] {
  const ctx = toMatchContext(input);
  const reasons: string[] = [];
  for (const c of compiled.conditions) {
    const value = ctx.resolve(c.param, c.path);
    if (!c.test(value))
      reasons.push(`${c.condition.field} is ${actual(c, ctx, value)}, rule wants ${wanted(c.condition)}`);
  }
  return reasons;
}
