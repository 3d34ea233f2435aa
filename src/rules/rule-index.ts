import { SERVICES } from '../protocol/constants.js';
import { compileRule, isExpired, matches, type CompiledRule, type MatchInput } from './compile-rule.js';
import { toMatchContext } from './match-context.js';
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
  /** `${partner} ${service}` → that merchant's custom rules (ordered), then the defaults left on. */
  readonly byPartner: ReadonlyMap<string, readonly CompiledRule<IndexedRule>[]>;
  /** service → the default rules in table order, for merchants with no custom rules. */
  readonly defaults: ReadonlyMap<string, readonly CompiledRule<IndexedRule>[]>;
  /** How many enabled rules the index holds. */
  readonly size: number;
}

const NONE: readonly CompiledRule<IndexedRule>[] = Object.freeze([]);

function appliesTo(rule: Rule, service: string): boolean {
  return rule.service === service || rule.service === '*';
}

function key(partner: string, service: string): string {
  return `${partner} ${service}`;
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
  const byPartner = new Map<string, readonly CompiledRule<IndexedRule>[]>();
  for (const partner of new Set([...custom.keys(), ...disabled.keys()])) {
    const mine = (custom.get(partner) ?? []).sort(
      (a, b) =>
        b.compiled.rule.priority - a.compiled.rule.priority ||
        (b.compiled.rule.seq ?? 0) - (a.compiled.rule.seq ?? 0) ||
        b.order - a.order,
    );
    const off = disabled.get(partner);
    for (const service of SERVICES) {
      const own = mine.filter((m) => appliesTo(m.compiled.rule, service)).map((m) => m.compiled);
      const shared = (defaultsByService.get(service) ?? []).filter((d) => !off?.has(d.rule.id));
      byPartner.set(key(partner, service), [...own, ...shared]);
    }
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
  return index.byPartner.get(key(partner, service)) ?? index.defaults.get(service) ?? NONE;
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
  for (const compiled of candidates(index, partner, service)) {
    if (!isExpired(compiled, now) && matches(compiled, ctx)) yield compiled;
  }
}
