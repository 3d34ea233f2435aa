import { randomBytes } from 'node:crypto';
import type { CheckDelivery, CheckEntry } from '../check/check-entry.js';
import type { CheckRun, CheckRunStore } from '../check/check-run-store.js';
import { CHECK_SCENARIOS } from '../check/check-scenarios.js';
import type { CheckKeying, CheckScenario } from '../check/check-scenario.js';
import { armedRules } from '../check/check-rules.js';
import type { CheckVerdict } from '../check/check-verdict.js';
import { evaluateCheck } from '../check/evaluate-check.js';
import type { NotificationOutbox } from '../ports/notification-outbox.js';
import type { RequestLog } from '../ports/request-log.js';
import type { RuleEngine } from '../rules/rule-engine.js';
import type { RuleStore } from '../rules/rule-store.js';
import { createCustomRule, deleteCustomRule } from './custom-rules.js';

/** What the check run use cases need. */
export interface CheckRunDeps {
  store: CheckRunStore &
    RuleStore &
    Pick<RequestLog, 'listRequestLog'> &
    Pick<NotificationOutbox, 'listNotifications' | 'listNotificationAttempts'>;
  engine: RuleEngine;
  /** The clock of the request log's receivedAt (the process's wall clock), which bounds a run's window. */
  now(): Date;
}

/** A scenario id that is not in the catalogue. */
export class UnknownScenarioError extends Error {
  override readonly name = 'UnknownScenarioError';
}

/** The scenarios of the catalogue with these ids (all of them when none are named). */
export function scenariosNamed(ids: readonly string[] | undefined): CheckScenario[] {
  if (ids === undefined || ids.length === 0) return [...CHECK_SCENARIOS];
  return ids.map((id) => {
    const s = CHECK_SCENARIOS.find((x) => x.id === id);
    if (s === undefined)
      throw new UnknownScenarioError(
        `no scenario "${id}"; known: ${CHECK_SCENARIOS.map((x) => x.id).join(', ')}`,
      );
    return s;
  });
}

/**
 * Starts a run: stores it (one running run per merchant, else StoreConflictError), then arms its
 * scenarios as custom rules of the merchant, keyed by prefix (default) or by amount.
 */
export async function startCheckRun(
  deps: CheckRunDeps,
  partner: string,
  ids?: readonly string[],
  keyedBy: CheckKeying = 'prefix',
): Promise<CheckRun> {
  const scenarios = scenariosNamed(ids);
  const id = `chk-${randomBytes(6).toString('hex')}`;
  const rules = armedRules(id, partner, scenarios, keyedBy);
  const run = await deps.store.insertCheckRun({
    id,
    partner,
    scenarios: scenarios.map((s) => s.id),
    keyedBy,
    ruleIds: rules.map((r) => r.id ?? ''),
    startedAt: deps.now(),
  });
  for (const rule of rules) await createCustomRule(deps.store, deps.engine, { ...rule, partner });
  return run;
}

/** The merchant's requests from `since` to `until`, oldest first (paged through the log's newest-first pages). */
async function entriesBetween(
  deps: CheckRunDeps,
  partner: string,
  since: Date,
  until: Date,
): Promise<CheckEntry[]> {
  const out: CheckEntry[] = [];
  let beforeId: number | undefined;
  for (;;) {
    const page = await deps.store.listRequestLog({ partner, since, until, beforeId, limit: 500 });
    out.push(...page);
    const last = page.at(-1);
    if (page.length < 500 || last === undefined) break;
    beforeId = last.id;
  }
  return out.reverse();
}

/** Delivery attempts of the notifications of these trades (the run's, so no clock has to agree). */
async function deliveriesOf(
  deps: CheckRunDeps,
  partner: string,
  trades: ReadonlySet<string>,
): Promise<CheckDelivery[]> {
  const notes = (await deps.store.listNotifications({ partner, limit: 500 })).filter((n) =>
    trades.has(n.partnerTransId),
  );
  const byId = new Map(notes.map((n) => [n.id, n]));
  const attempts = await deps.store.listNotificationAttempts(notes.map((n) => n.id));
  return attempts.map((a) => {
    const n = byId.get(a.notificationId);
    return { ...a, partnerTransId: n?.partnerTransId ?? '', mode: n?.mode ?? 'normal' };
  });
}

/** The verdicts of a run: stored once it ended, else judged now over what it has seen so far. */
export async function checkRunReport(deps: CheckRunDeps, run: CheckRun): Promise<CheckVerdict[]> {
  if (run.report !== null) return run.report;
  const scenarios = scenariosNamed(run.scenarios);
  const entries = await entriesBetween(deps, run.partner, run.startedAt, deps.now());
  const trades = new Set(entries.flatMap((e) => (e.partnerTransId === null ? [] : [e.partnerTransId])));
  const deliveries = await deliveriesOf(deps, run.partner, trades);
  return evaluateCheck({ entries, deliveries }, scenarios, run.keyedBy);
}

/** Ends a running run: judges it, stores the report, disarms its rules; undefined when it is not running. */
export async function endCheckRun(deps: CheckRunDeps, run: CheckRun): Promise<CheckRun | undefined> {
  const report = await checkRunReport(deps, run);
  const ended = await deps.store.endCheckRun(run.partner, run.id, deps.now(), report);
  if (ended !== undefined) for (const id of run.ruleIds) await deleteCustomRule(deps.store, deps.engine, id);
  return ended;
}
