import { z } from 'zod';
import { PAY_SERVICE } from '../protocol/constants.js';
import { tradeRates } from '../ledger/rates.js';
import { makeAlipayTransId } from '../ledger/alipay-trans-id.js';
import { decidePayReplay } from '../ledger/trade-lifecycle.js';
import type { Payer } from '../ledger/ledger-store.js';
import type { Merchant, Trade, TradeResolution } from '../ledger/model.js';
import { checkSchema, invalidParameter } from './param-schema.js';
import { checkPricedAmount } from './check-priced-amount.js';
import {
  defineService,
  type ParamCheck,
  type ServiceDeps,
  type ServiceResult,
} from './service-definition.js';
import { AbortWith, LostRace, runLedgerStep } from './abort-with.js';
import { settleTrade } from '../ledger/settle-trade.js';
import { payFields } from '../ledger/trade-fields.js';

/** Buyer payment codes: 16–24 digits starting with 25–30 (docs/reference/alipay-mapi-protocol.md §3.1). */
const BUYER_CODE = /^(2[5-9]|30)\d{14,22}$/;

const schema = z.object({
  partner_trans_id: z.string().max(64),
  trans_name: z.string().max(256),
  currency: z.string().max(8),
  trans_currency: z.string().max(8).optional(),
  trans_amount: z.string().max(20),
  buyer_identity_code: z.string().max(32),
  identity_code_type: z.string().max(16).optional(),
  alipay_seller_id: z.string().max(16).optional(),
  biz_product: z.string().max(64).optional(),
  quantity: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .optional(),
  trans_create_time: z
    .string()
    .regex(/^\d{14}$/, 'must be yyyyMMddHHmmss')
    .optional(),
  notify_url: z.string().max(200).optional(),
  memo: z.string().max(256).optional(),
  extend_info: z.string().max(4096).optional(),
});

/** A spot pay request after its checks: amounts in minor units of the pricing currency. */
export interface SpotPayInput {
  partnerTransId: string;
  transName: string;
  currency: string;
  transCurrency: string;
  amountMinor: number;
  buyerIdentityCode: string;
  notifyUrl: string | null;
}

function parse(params: Readonly<Record<string, string>>, merchant: Merchant): ParamCheck<SpotPayInput> {
  const checked = checkSchema(schema, params);
  if (!checked.ok) return checked;
  const p = checked.value;
  const transCurrency = p.trans_currency ?? p.currency;
  if (p.extend_info !== undefined && !isJsonObject(p.extend_info)) {
    return { ok: false, kind: 'gateway', reason: 'extend_info must be a JSON object' };
  }
  const amount = checkPricedAmount(merchant, 'trans_amount', p.trans_amount, p.currency, transCurrency);
  if (!amount.ok) return amount;
  if (p.alipay_seller_id !== undefined && p.alipay_seller_id !== merchant.partner) {
    return invalidParameter('alipay_seller_id must equal partner');
  }
  if (p.identity_code_type !== undefined && p.identity_code_type !== 'barcode') {
    return invalidParameter('identity_code_type must be barcode');
  }
  if (p.biz_product !== undefined && p.biz_product !== 'OVERSEAS_MBARCODE_PAY') {
    return invalidParameter('biz_product must be OVERSEAS_MBARCODE_PAY');
  }
  if (!BUYER_CODE.test(p.buyer_identity_code)) {
    return invalidParameter('buyer_identity_code must be 16-24 digits starting with 25-30');
  }
  return {
    ok: true,
    value: {
      partnerTransId: p.partner_trans_id,
      transName: p.trans_name,
      currency: p.currency,
      transCurrency,
      amountMinor: amount.value,
      buyerIdentityCode: p.buyer_identity_code,
      notifyUrl: p.notify_url ?? null,
    },
  };
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

function failed(error: string): ServiceResult {
  return { fields: { error, result_code: 'FAILED' } };
}

/** Builds the trade row for a new payment; `status` is TRADE_SUCCESS or (for pending rules) WAIT_BUYER_PAY. */
function newTrade(
  deps: ServiceDeps,
  merchant: Merchant,
  input: SpotPayInput,
  buyer: Payer,
  alipayTransId: string,
  now: Date,
  status: 'TRADE_SUCCESS' | 'WAIT_BUYER_PAY',
): Trade {
  return {
    alipayTransId,
    partner: merchant.partner,
    partnerTransId: input.partnerTransId,
    status,
    buyerUserId: buyer.userId,
    buyerLoginId: buyer.loginId,
    buyerIdentityCode: input.buyerIdentityCode,
    paymentInst: buyer.wallet,
    currency: input.currency,
    transCurrency: input.transCurrency,
    amountMinor: input.amountMinor,
    refundedMinor: 0,
    ...tradeRates(input.currency, input.transCurrency, deps.rates),
    transName: input.transName,
    notifyUrl: input.notifyUrl,
    createdAt: now,
    paidAt: status === 'TRADE_SUCCESS' ? now : null,
    closedAt: null,
    expiresAt: status === 'WAIT_BUYER_PAY' ? new Date(now.getTime() + deps.policy.unpaidTimeoutMs) : null,
    closeReason: null,
    cancelAction: null,
    resolution: null,
    queryCount: 0,
  };
}

/** The answer to a pay whose partner_trans_id already has a trade (docs/reference/alipay-mapi-protocol.md §15). */
export function replayPay(trade: Trade, input: SpotPayInput): ServiceResult {
  const decision = decidePayReplay(trade, input);
  if (decision.kind === 'error') return { ...failed(decision.error), alipayTransId: trade.alipayTransId };
  if (trade.status === 'WAIT_BUYER_PAY') {
    return {
      fields: {
        alipay_trans_id: trade.alipayTransId,
        partner_trans_id: trade.partnerTransId,
        result_code: 'UNKNOW',
      },
      alipayTransId: trade.alipayTransId,
    };
  }
  return { fields: payFields(trade), alipayTransId: trade.alipayTransId };
}

/**
 * A spot pay, atomic: replays the trade this partner_trans_id already has, else creates one. A normal
 * pay debits the buyer and is paid at once; with `pending` (a mock rule's effect "pending",
 * docs/rules.md) the trade waits as WAIT_BUYER_PAY and nothing is debited until its resolution pays it.
 */
async function payOrReplay(
  deps: ServiceDeps,
  merchant: Merchant,
  input: SpotPayInput,
  now: Date,
  pending?: { resolution: TradeResolution | null },
): Promise<ServiceResult> {
  return runLedgerStep(() =>
    deps.store.transaction(async (tx) => {
      const buyer = await tx.findPayerForCode(input.buyerIdentityCode);
      if (!buyer) return failed('BUYER_NOT_EXIST');
      const existing = await tx.getTradeForUpdate(merchant.partner, { partnerTransId: input.partnerTransId });
      if (existing)
        return replayPay(await settleTrade(tx, existing, now, deps.policy, deps.notifications), input);
      const id = makeAlipayTransId(now, buyer.userId, await tx.nextSequence('alipay_trans_id'));
      if (pending) {
        const trade = { ...newTrade(deps, merchant, input, buyer, id, now, 'WAIT_BUYER_PAY'), ...pending };
        if (!(await tx.insertTrade(trade))) throw new LostRace();
        return replayPay(trade, input);
      }
      const trade = newTrade(deps, merchant, input, buyer, id, now, 'TRADE_SUCCESS');
      if (!(await tx.insertTrade(trade))) throw new LostRace();
      if (!(await tx.adjustBalance(buyer.userId, input.transCurrency, -input.amountMinor))) {
        throw new AbortWith(failed('BUYER_BALANCE_NOT_ENOUGH'));
      }
      await deps.notifications?.tradeChanged(tx, null, trade);
      return { fields: payFields(trade), alipayTransId: trade.alipayTransId };
    }),
  );
}

/** Creates a WAIT_BUYER_PAY trade for a mock rule with effect "pending"; a repeat replays it. */
export function createPendingTrade(
  deps: ServiceDeps,
  merchant: Merchant,
  input: SpotPayInput,
  now: Date,
  resolution: TradeResolution | null,
): Promise<ServiceResult> {
  return payOrReplay(deps, merchant, input, now, { resolution });
}

/** `alipay.acquire.overseas.spot.pay` (docs/reference/alipay-mapi-protocol.md §3). */
export const SPOT_PAY = defineService<SpotPayInput>({
  name: PAY_SERVICE,
  parse,
  failure: (_params, error) => failed(error).fields,
  run: (deps, merchant, input, now) => payOrReplay(deps, merchant, input, now),
});
