import { z } from 'zod';
import { CURRENCIES, REFUND_SERVICE } from '../protocol/constants.js';
import { formatAmount, parseAmount } from '../ledger/money.js';
import { applyRefund, checkRefund, isSameRefund } from '../ledger/trade-lifecycle.js';
import type { Merchant, Refund, Trade } from '../ledger/model.js';
import { checkSchema, invalidParameter } from './param-schema.js';
import {
  defineService,
  type ParamCheck,
  type ServiceDeps,
  type ServiceResult,
} from './service-definition.js';
import { AbortWith, LostRace, runLedgerStep } from './abort-with.js';
import { settleTrade } from '../ledger/settle-trade.js';
import { cnyMinor, isHkStyle } from '../ledger/trade-fields.js';

const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(CURRENCIES);
/** refund_amount is Number(9,2): at most 9999999.99 (docs/reference/alipay-mapi-protocol.md §5.1). */
const MAX_REFUND_HUNDREDTHS = 999_999_999;

const schema = z.object({
  partner_trans_id: z.string().max(64),
  alipay_trans_id: z.string().max(64).optional(),
  partner_refund_id: z.string().max(64),
  refund_amount: z.string().max(20),
  currency: z.string().max(10),
  refund_reason: z.string().max(128).optional(),
  // The HK page and at least one PHP SDK spell it `refund_reson` (§5.1).
  refund_reson: z.string().max(128).optional(),
  is_sync: z.enum(['Y', 'N']).optional(),
  notify_url: z.string().max(200).optional(),
});

/** A refund request after its checks. */
export interface SpotRefundInput {
  partnerTransId: string;
  alipayTransId: string | undefined;
  partnerRefundId: string;
  amountMinor: number;
  currency: string;
  reason: string | null;
  isSync: boolean;
  notifyUrl: string | null;
}

function parse(params: Readonly<Record<string, string>>): ParamCheck<SpotRefundInput> {
  const checked = checkSchema(schema, params);
  if (!checked.ok) return checked;
  const p = checked.value;
  const amount = parseAmount(p.refund_amount, p.currency, MAX_REFUND_HUNDREDTHS);
  if (!amount.ok && amount.problem === 'syntax') {
    return { ok: false, kind: 'gateway', reason: 'refund_amount must be a decimal number' };
  }
  if (p.partner_refund_id === p.partner_trans_id) {
    return invalidParameter('partner_refund_id must differ from partner_trans_id');
  }
  if (!KNOWN_CURRENCIES.has(p.currency)) return invalidParameter(`currency ${p.currency} is not supported`);
  if (!amount.ok) {
    return {
      ok: false,
      kind: 'business',
      error: 'REFUND_AMT_RESTRICTION',
      reason:
        amount.problem === 'precision'
          ? `refund_amount has too many decimals for ${p.currency}`
          : 'refund_amount out of range',
    };
  }
  return {
    ok: true,
    value: {
      partnerTransId: p.partner_trans_id,
      alipayTransId: p.alipay_trans_id,
      partnerRefundId: p.partner_refund_id,
      amountMinor: amount.minor,
      currency: p.currency,
      reason: p.refund_reason ?? p.refund_reson ?? null,
      isSync: p.is_sync === 'Y',
      notifyUrl: p.notify_url ?? null,
    },
  };
}

function failed(error: string, alipayTransId?: string): ServiceResult {
  return { fields: { error, result_code: 'FAILED' }, alipayTransId };
}

function successFields(trade: Trade, refund: Refund): ServiceResult {
  const hk = isHkStyle(trade);
  return {
    alipayTransId: trade.alipayTransId,
    fields: {
      alipay_trans_id: trade.alipayTransId,
      currency: refund.currency,
      exchange_rate: hk ? undefined : trade.exchangeRate,
      partner_refund_id: refund.partnerRefundId,
      partner_trans_id: trade.partnerTransId,
      refund_amount: formatAmount(refund.amountMinor, refund.currency),
      refund_amount_cny: hk ? undefined : formatAmount(cnyMinor(trade, refund.amountMinor), 'CNY'),
      result_code: 'SUCCESS',
    },
  };
}

/** Refunds part or all of a paid trade; a repeated partner_refund_id replays (§5.3, §15). */
async function run(
  deps: ServiceDeps,
  merchant: Merchant,
  input: SpotRefundInput,
  now: Date,
): Promise<ServiceResult> {
  return runLedgerStep(() =>
    deps.store.transaction(async (tx) => {
      const found = await tx.getTradeForUpdate(merchant.partner, {
        partnerTransId: input.partnerTransId,
        alipayTransId: input.alipayTransId,
      });
      if (!found || found.partnerTransId !== input.partnerTransId) return failed('TRADE_NOT_EXIST');
      const trade = await settleTrade(tx, found, now, deps.policy, deps.notifications);
      const previous = await tx.getRefund(merchant.partner, input.partnerRefundId);
      if (previous) {
        if (!isSameRefund(previous, input)) return failed('DISCORDANT_REPEAT_REQUEST', trade.alipayTransId);
        return successFields(trade, previous);
      }
      const problem = checkRefund(trade, input.amountMinor, input.currency);
      if (problem) return failed(problem, trade.alipayTransId);
      const refund: Refund = {
        partner: merchant.partner,
        partnerRefundId: input.partnerRefundId,
        alipayTransId: trade.alipayTransId,
        partnerTransId: trade.partnerTransId,
        amountMinor: input.amountMinor,
        currency: input.currency,
        reason: input.reason,
        isSync: input.isSync,
        notifyUrl: input.notifyUrl,
        createdAt: now,
      };
      if (!(await tx.insertRefund(refund))) throw new LostRace();
      const patch = applyRefund(trade, input.amountMinor, now);
      await tx.updateTrade(trade.alipayTransId, patch);
      if (!(await tx.adjustBalance(trade.buyerUserId, trade.transCurrency, input.amountMinor))) {
        throw new AbortWith(failed('SYSTEM_ERROR', trade.alipayTransId));
      }
      await deps.notifications?.refundSucceeded(tx, { ...trade, ...patch }, refund);
      return successFields(trade, refund);
    }),
  );
}

/** `alipay.acquire.overseas.spot.refund` (docs/reference/alipay-mapi-protocol.md §5). */
export const SPOT_REFUND = defineService<SpotRefundInput>({
  name: REFUND_SERVICE,
  parse,
  failure: (_params, error) => failed(error).fields,
  run,
});
