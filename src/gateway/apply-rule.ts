import { PAY_SERVICE } from '../protocol/constants.js';
import type { GatewayErrorCode } from '../protocol/gateway-errors.js';
import type { Merchant } from '../ledger/model.js';
import type { RuleDecision } from '../rules/rule-engine.js';
import { renderTemplate } from '../rules/render-template.js';
import type { BusinessOutcome } from '../rules/rule-schema.js';
import type { ResponseFields } from '../ledger/trade-fields.js';
import type { ServiceDefinition, ServiceDeps, ServiceResult } from '../services/service-definition.js';
import { createPendingTrade, type SpotPayInput } from '../services/spot-pay.js';
import type { BrokenKind } from './broken-reply.js';
import type { TransportFault } from './transport-fault.js';

/** What a rule turns a request into; the pipeline renders it. */
export type RuleResult =
  | { kind: 'gateway_error'; code: GatewayErrorCode }
  | {
      kind: 'answer';
      result: ServiceResult;
      broken?: { kind: BrokenKind; status: 502 | 503 } | undefined;
      transport?: TransportFault | undefined;
    };

/** The business fields a rule asks for: the service's failure shape, then the rule's code and fields. */
function businessFields(
  step: BusinessOutcome,
  definition: ServiceDefinition,
  params: Readonly<Record<string, string>>,
  now: Date,
): ResponseFields {
  const base = definition.failure(params, step.error ?? '');
  const fields: ResponseFields = { ...base, result_code: step.result_code, error: step.error };
  for (const [k, v] of Object.entries(step.fields ?? {})) fields[k] = renderTemplate(v, params, now);
  return fields;
}

/**
 * Applies the deciding rule's outcome (docs/rules.md): a business answer with its ledger effect,
 * a gateway error, the normal behaviour, or the normal behaviour broken on the way back.
 */
export async function applyRule(
  decision: RuleDecision,
  ctx: {
    deps: ServiceDeps;
    merchant: Merchant;
    definition: ServiceDefinition;
    input: unknown;
    params: Readonly<Record<string, string>>;
    now: Date;
  },
): Promise<RuleResult> {
  const { merchant, definition, input, params, now } = ctx;
  const step = decision.outcome;
  // A rule's `notify` changes the notifications this request queues (docs/rules.md).
  const notify = 'notify' in step ? step.notify : undefined;
  const deps = notify
    ? { ...ctx.deps, notifications: ctx.deps.notifications?.withDirective(notify) }
    : ctx.deps;
  const runNormally = () => definition.run(deps, merchant, input, now);
  switch (step.type) {
    case 'gateway_error':
      return { kind: 'gateway_error', code: step.code };
    case 'normal':
      return { kind: 'answer', result: await runNormally() };
    case 'business': {
      const fields = businessFields(step, definition, params, now);
      if (step.effect === 'create_trade') {
        const normal = await runNormally();
        return { kind: 'answer', result: { fields, alipayTransId: normal.alipayTransId } };
      }
      if (step.effect === 'pending' && definition.name === PAY_SERVICE) {
        const r = step.resolve;
        const resolution = r
          ? {
              to: r.to,
              at: r.afterSeconds === undefined ? null : new Date(now.getTime() + r.afterSeconds * 1000),
              afterQueries: r.afterQueries ?? null,
              notify,
            }
          : notify
            ? // No scripted end: the trade waits for the auto-close, whose notification still follows `notify`.
              { to: 'closed' as const, at: null, afterQueries: null, notify }
            : null;
        const pending = await createPendingTrade(deps, merchant, input as SpotPayInput, now, resolution);
        const ids = {
          alipay_trans_id: pending.fields.alipay_trans_id,
          partner_trans_id: pending.fields.partner_trans_id,
        };
        return {
          kind: 'answer',
          result: { fields: { ...ids, ...fields }, alipayTransId: pending.alipayTransId },
        };
      }
      return { kind: 'answer', result: { fields } };
    }
    case 'broken': {
      // The gateway did its work and the answer broke on the way back; effect "none" means it did nothing.
      const result =
        step.effect === 'none'
          ? { fields: { ...definition.failure(params, 'SYSTEM_ERROR') } }
          : await runNormally();
      return { kind: 'answer', result, broken: { kind: step.kind, status: step.status ?? 502 } };
    }
    case 'fault': {
      const ledgerRuns =
        step.fault === 'delay' || step.fault === 'truncate' || step.effect === 'create_trade';
      const result = ledgerRuns ? await runNormally() : { fields: {} };
      const transport = step.fault === 'delay' ? undefined : { kind: step.fault };
      return { kind: 'answer', result, transport };
    }
  }
}
