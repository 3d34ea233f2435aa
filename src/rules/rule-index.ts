import { SERVICES } from '../protocol/constants.js';
import { compileRule, isExpired, matches, type CompiledRule, type MatchInput } from './compile-rule.js';
import { plainDecimalKey } from './decimal.js';
import { toMatchContext, type MatchContext } from './match-context.js';
import type { Rule } from './rule-schema.js';

/**
 * A rule as the store hands it over: with its id and `seq`, a number the store assigns on creation
 * that only grows (a database sequence). Among custom rules of equal priority the higher `seq` — the
 * newer rule — wins. `seq` is used rather than a creation time because rules imported together share a
 * millisecond and instances' clocks differ. Without `seq`, a later position in the input counts as newer.
 */
export type IndexedRule = Rule & { id: string; seq?: number | undefined };

/** Options of an index: default rules a merchant has switched off (partner → default rule ids). */
export interface RuleIndexOptions {
  disabledDefaults?: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Enabled rules grouped by (partner, service), each list already in evaluation order. */
export interface RuleIndex {
  /** partner → service → that merchant's custom rules (ordered), then the defaults left on. */
  readonly byPartner: ReadonlyMap<string, ReadonlyMap<string, readonly CompiledRule<IndexedRule>[]>>;
  /** service → the default rules in table order, for merchants with no custom rules. */
  readonly defaults: ReadonlyMap<string, readonly CompiledRule<IndexedRule>[]>;
  /** How many enabled rules the index holds. */
  readonly size: number;
}

const NONE: readonly CompiledRule<IndexedRule>[] = Object.freeze([]);

function appliesTo(rule: Rule, service: string): boolean {
  return rule.service === service || rule.service === '*';
}

/** Builds the index once per rule change; a request then costs O(rules of its merchant and service). */
export function createRuleIndex(rules: readonly IndexedRule[], options: RuleIndexOptions = {}): RuleIndex {
  const defaults: CompiledRule<IndexedRule>[] = [];
  const custom = new Map<string, { compiled: CompiledRule<IndexedRule>; order: number }[]>();
  rules.forEach((rule, order) => {
    if (!rule.enabled) return;
    const compiled = compileRule(rule);
    if (rule.partner === null) {
      defaults.push(compiled);
      return;
    }
    const list = custom.get(rule.partner) ?? [];
    list.push({ compiled, order });
    custom.set(rule.partner, list);
  });
  const defaultsByService = new Map(SERVICES.map((s) => [s, defaults.filter((d) => appliesTo(d.rule, s))]));
  const disabled = options.disabledDefaults ?? new Map<string, ReadonlySet<string>>();
  const byPartner = new Map<string, Map<string, readonly CompiledRule<IndexedRule>[]>>();
  for (const partner of new Set([...custom.keys(), ...disabled.keys()])) {
    const mine = (custom.get(partner) ?? []).sort(
      (a, b) =>
        b.compiled.rule.priority - a.compiled.rule.priority ||
        (b.compiled.rule.seq ?? 0) - (a.compiled.rule.seq ?? 0) ||
        b.order - a.order,
    );
    const off = disabled.get(partner);
    // Two levels rather than one "partner service" key: a request then builds no key string to hash.
    const byService = new Map<string, readonly CompiledRule<IndexedRule>[]>();
    for (const service of SERVICES) {
      const own = mine.filter((m) => appliesTo(m.compiled.rule, service)).map((m) => m.compiled);
      const shared = (defaultsByService.get(service) ?? []).filter((d) => !off?.has(d.rule.id));
      byService.set(service, [...own, ...shared]);
    }
    byPartner.set(partner, byService);
  }
  return {
    byPartner,
    defaults: defaultsByService,
    size: defaults.length + [...custom.values()].flat().length,
  };
}

/**
 * The rules to try for a request, in precedence order: the merchant's custom rules for this service
 * and for '*' (priority desc, then newest first), then the default rules in table order.
 */
export function candidates(
  index: RuleIndex,
  partner: string,
  service: string,
): readonly CompiledRule<IndexedRule>[] {
  const own = index.byPartner.get(partner);
  return (own === undefined ? index.defaults.get(service) : own.get(service)) ?? NONE;
}

/**
 * The matching, unexpired candidates in precedence order. Lazy: the caller takes the first one whose
 * lifetime it can consume (`times` is counted by the store) and stops.
 */
export function* matchingRules(
  index: RuleIndex,
  partner: string,
  service: string,
  input: MatchInput,
  now: Date,
): Generator<CompiledRule<IndexedRule>, void, undefined> {
  const ctx = toMatchContext(input);
  const list = candidates(index, partner, service);
  for (const position of possibleMatches(list, ctx)) {
    const compiled = list[position];
    if (compiled !== undefined && !isExpired(compiled, now) && matches(compiled, ctx)) yield compiled;
  }
}

/**
 * Which rules of a candidate list a request could match, found without testing each one: most rules
 * (every default rule) have an `eq` or `prefix` condition on a top-level parameter, which a request
 * must satisfy for the rule to match. Rules are grouped by that condition once per list; a request
 * then looks its parameter up. Only a necessary condition: the rules found are still tested in full.
 */
interface Prefilter {
  /** Positions of rules with no such condition: always tested. */
  readonly always: readonly number[];
  /** Parameter → key of its value (eqKey) → positions of rules whose `eq` condition wants that key. */
  readonly eq: ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;
  /** Parameter → positions of rules with a `prefix` condition on it, and the prefix they all share. */
  readonly prefix: ReadonlyMap<string, { readonly common: string; readonly positions: readonly number[] }>;
}

/** Built on first use per candidate list (the lists never change once the index is built). */
const PREFILTERS = new WeakMap<readonly CompiledRule<IndexedRule>[], Prefilter>();

/**
 * The key an `eq` test can only accept a value under: its plain-decimal key when it is one ("9901.00"
 * and "9901" both give "d9901", as `eq` compares such numbers), else the exact text.
 */
function eqKey(text: string): string {
  const decimal = plainDecimalKey(text);
  return decimal === undefined ? `t${text}` : `d${decimal}`;
}

function commonPrefix(a: string, b: string): string {
  let n = 0;
  while (n < a.length && n < b.length && a.charCodeAt(n) === b.charCodeAt(n)) n += 1;
  return a.slice(0, n);
}

function buildPrefilter(list: readonly CompiledRule<IndexedRule>[]): Prefilter {
  const always: number[] = [];
  const eq = new Map<string, Map<string, number[]>>();
  const prefix = new Map<string, { common: string; positions: number[] }>();
  list.forEach((compiled, position) => {
    const c = compiled.conditions.find(
      (x) =>
        x.path.length === 0 &&
        typeof x.condition.value === 'string' &&
        (x.condition.op === 'eq' || x.condition.op === 'prefix'),
    );
    const want = c?.condition.value;
    if (c === undefined || typeof want !== 'string') {
      always.push(position);
    } else if (c.condition.op === 'eq') {
      const byKey = eq.get(c.param) ?? new Map<string, number[]>();
      eq.set(c.param, byKey);
      const key = eqKey(want);
      const positions = byKey.get(key);
      if (positions === undefined) byKey.set(key, [position]);
      else positions.push(position);
    } else {
      const group = prefix.get(c.param);
      if (group === undefined) prefix.set(c.param, { common: want, positions: [position] });
      else {
        group.common = commonPrefix(group.common, want);
        group.positions.push(position);
      }
    }
  });
  return { always, eq, prefix };
}

/** Positions in `list` of the rules this request could match, in list (precedence) order. */
function possibleMatches(list: readonly CompiledRule<IndexedRule>[], ctx: MatchContext): readonly number[] {
  let filter = PREFILTERS.get(list);
  if (filter === undefined) {
    filter = buildPrefilter(list);
    PREFILTERS.set(list, filter);
  }
  let found: number[] | undefined;
  for (const [param, byKey] of filter.eq) {
    const value = ctx.param(param);
    const positions = value === undefined ? undefined : byKey.get(eqKey(value));
    if (positions !== undefined) (found ??= []).push(...positions);
  }
  for (const [param, group] of filter.prefix) {
    if (ctx.param(param)?.startsWith(group.common)) (found ??= []).push(...group.positions);
  }
  if (found === undefined) return filter.always;
  // Each group's positions are in order; only several groups' together need sorting.
  if (found.length > 1) found.sort((a, b) => a - b);
  return mergeAscending(found, filter.always);
}

/** The positions of two ascending lists with no position in both, in one ascending list. */
function mergeAscending(a: readonly number[], b: readonly number[]): number[] {
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x !== undefined && (y === undefined || x < y)) {
      merged.push(x);
      i += 1;
    } else if (y !== undefined) {
      merged.push(y);
      j += 1;
    }
  }
  return merged;
}
