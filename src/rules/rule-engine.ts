import type { ChangeFeed } from '../ports/change-feed.js';
import type { RuleStore } from './rule-store.js';
import type { StoredRule } from './stored-rule.js';
import { DEFAULT_RULES } from './default-rules.js';
import { createRuleIndex, matchingRules, type IndexedRule, type RuleIndex } from './rule-index.js';
import type { Rule, StepOutcome } from './rule-schema.js';
import { sequenceScope, sequenceStep } from './sequence-step.js';

/** The rule that decides a request, and the outcome it gives this time. */
export interface RuleDecision {
  ruleId: string;
  ruleName: string;
  isDefault: boolean;
  outcome: StepOutcome;
}

/** Finds the rule that answers a request; caches compiled rules and reloads them when they change. */
export interface RuleEngine {
  decide(
    partner: string,
    service: string,
    params: Readonly<Record<string, string>>,
    now: Date,
  ): Promise<RuleDecision | null>;
  /** Forget the cache now (this instance changed rules). */
  invalidate(): void;
  close(): void;
}

/** A stored rule in the shape the index takes. */
export function toIndexedRule(r: StoredRule): IndexedRule {
  return {
    id: r.id,
    partner: r.partner,
    service: r.service as Rule['service'],
    name: r.name,
    priority: r.priority,
    enabled: r.enabled,
    when: r.when,
    then: r.then,
    ...(r.times === null ? {} : { times: r.times }),
    ...(r.expiresAt === null ? {} : { expiresAt: r.expiresAt.toISOString() }),
    seq: r.seq,
  };
}

/**
 * Creates the engine. Other instances' changes are heard through `store.onChange` (PostgreSQL
 * LISTEN/NOTIFY, at once) and noticed through `rulesVersion`, polled every `pollMs` (an index rebuild
 * happens only when the version moved; on SQLite polling is the only way).
 */
export function createRuleEngine(
  store: RuleStore & ChangeFeed & { listMerchants(): Promise<ReadonlyArray<{ partner: string }>> },
  opts: { pollMs?: number } = {},
): RuleEngine {
  let index: RuleIndex | undefined;
  let loading: Promise<RuleIndex> | undefined;
  let version = -1;
  // Bumped by every invalidation: a load that started before one must not be kept as the cache.
  let generation = 0;

  async function load(): Promise<RuleIndex> {
    const seen = await store.rulesVersion();
    const [stored, merchants] = await Promise.all([store.listRules(), store.listMerchants()]);
    const disabledDefaults = new Map<string, ReadonlySet<string>>();
    for (const m of merchants) {
      const off = await store.listDisabledDefaultRules(m.partner);
      if (off.length > 0) disabledDefaults.set(m.partner, new Set(off));
    }
    version = seen;
    return createRuleIndex([...DEFAULT_RULES, ...stored.map(toIndexedRule)], { disabledDefaults });
  }

  function current(): Promise<RuleIndex> {
    if (index) return Promise.resolve(index);
    if (loading) return loading;
    const startedAt = generation;
    const attempt: Promise<RuleIndex> = load().then(
      (built) => {
        if (generation === startedAt) index = built;
        if (loading === attempt) loading = undefined;
        return built;
      },
      (err: unknown) => {
        if (loading === attempt) loading = undefined;
        throw err;
      },
    );
    loading = attempt;
    return attempt;
  }

  function invalidate(): void {
    generation += 1;
    index = undefined;
    loading = undefined;
  }

  const timer = setInterval(() => {
    store.rulesVersion().then(
      (v) => {
        if (v !== version) invalidate();
      },
      () => undefined, // a failed poll is retried on the next tick
    );
  }, opts.pollMs ?? 1000);
  timer.unref();
  // Every change (rules, switches, merchants, or a resync after a lost connection) drops the cache.
  const subscription = store.onChange?.(invalidate);

  return {
    async decide(partner, service, params, now) {
      const idx = await current();
      for (const compiled of matchingRules(idx, partner, service, params, now)) {
        const rule = compiled.rule;
        const isDefault = rule.partner === null;
        let matchIndex = 0;
        if (!isDefault) {
          // The lifetime is consumed in the store, atomically: a used-up rule lets the next one answer.
          const hits = await store.consumeRule(rule.id);
          if (hits === null) continue;
          matchIndex = hits - 1;
        } else if (rule.then.type === 'sequence') {
          // A default rule's progress is kept per merchant and business id (docs/rules.md).
          matchIndex =
            (await store.nextCounter(`rule:${rule.id}:${sequenceScope(rule, service, params)}`)) - 1;
        }
        const outcome = rule.then.type === 'sequence' ? sequenceStep(rule.then, matchIndex) : rule.then;
        return { ruleId: rule.id, ruleName: rule.name, isDefault, outcome };
      }
      return null;
    },
    invalidate,
    close() {
      clearInterval(timer);
      subscription?.unsubscribe();
    },
  };
}
