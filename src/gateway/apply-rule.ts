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

/** Fields of a parked trade's answer that a pending rule's answer keeps. */
const ID_FIELDS = ['alipay_trans_id', 'partner_trans_id', 'out_trade_no', 'trade_no', 'qr_code'] as const;

/** The business fields a rule asks for: the service's failure shape, then the rule's code and fields. */
function businessFields(
  step: BusinessOutcome,
  definition: ServiceDefinition,
  params: Readonly<Record<string, string>>,
  now: Date,
): ResponseFields {
  const base = definition.failure(params, step.error ?? '');
  // Services that spell their error detail_error_code (the QR services, docs/protocol.md §12) get it there.
  const fields: ResponseFields =
    'detail_error_code' in base
      ? { ...base, result_code: step.result_code, detail_error_code: step.error }
      : { ...base, result_code: step.result_code, error: step.error };
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
    origin?: string | undefined;
  },
): Promise<RuleResult> {
  const { merchant, definition, input, params, now, origin } = ctx;
  const step = decision.outcome;
  // A rule's `notify` changes the notifications this request queues (docs/rules.md).
  const notify = 'notify' in step ? step.notify : undefined;
  const deps = notify
    ? { ...ctx.deps, notifications: ctx.deps.notifications?.withDirective(notify) }
    : ctx.deps;
  const runNormally = () => definition.run(deps, merchant, input, now, origin);
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
      if (step.effect === 'pending' && (definition.name === PAY_SERVICE || definition.runPending)) {
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
        const pending = definition.runPending
          ? await definition.runPending(deps, merchant, input, now, resolution, origin)
          : await createPendingTrade(deps, merchant, input as SpotPayInput, now, resolution);
        // The parked trade's ids, in this service's names (pay: alipay_trans_id; QR services: trade_no).
        const ids: ResponseFields = {};
        for (const name of ID_FIELDS)
          if (pending.fields[name] !== undefined) ids[name] = pending.fields[name];
        // A SUCCESS answer of a parked QR trade is the normal one (qr_code, pic_url …): the buyer just never pays.
        const kept = step.result_code === 'SUCCESS' ? pending.fields : ids;
        return {
          kind: 'answer',
          result: { fields: { ...kept, ...fields }, alipayTransId: pending.alipayTransId },
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
