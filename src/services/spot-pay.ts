import { z } from 'zod';
import { PAY_SERVICE } from '../protocol/constants.js';
import { tradeRates } from '../ledger/rates.js';
import { ALIPAY_TRANS_ID_SEQUENCE } from '../ledger/alipay-trans-id.js';
import { numberTrade } from '../ledger/number-trade.js';
import { decidePayReplay } from '../ledger/trade-lifecycle.js';
import type { LedgerTx, UnnumberedTrade } from '../ledger/ledger-store.js';
import type { Merchant, Trade, TradeResolution } from '../ledger/model.js';
import { checkSchema, invalidParameter } from './param-schema.js';
import { checkPricedAmount } from './check-priced-amount.js';
import {
  defineService,
  type ParamCheck,
  type ServiceDeps,
  type ServiceResult,
} from './service-definition.js';
import { LostRace, runLedgerStep } from './abort-with.js';
import { needsSettling, settleTrade } from '../ledger/settle-trade.js';
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

/**
 * The trade a new payment creates, before the store picks its payer and numbers it; `status` is
 * TRADE_SUCCESS or (for pending rules) WAIT_BUYER_PAY.
 */
function newTrade(
  deps: ServiceDeps,
  merchant: Merchant,
  input: SpotPayInput,
  now: Date,
  status: 'TRADE_SUCCESS' | 'WAIT_BUYER_PAY',
): UnnumberedTrade {
  return {
    partner: merchant.partner,
    partnerTransId: input.partnerTransId,
    status,
    buyerIdentityCode: input.buyerIdentityCode,
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
 * A spot pay: pays a new trade in one atomic step of the store (LedgerStore.payNewTrade), or replays
 * the trade this partner_trans_id already has.
 */
function pay(deps: ServiceDeps, merchant: Merchant, input: SpotPayInput, now: Date): Promise<ServiceResult> {
  const queue = deps.notifications;
  // Only a pay with a notify_url queues a notification; without one, PostgreSQL needs no transaction.
  const alsoCommit =
    queue && input.notifyUrl !== null
      ? (tx: LedgerTx, paid: Trade) => queue.tradeChanged(tx, null, paid)
      : undefined;
  return runLedgerStep(async () => {
    const outcome = await deps.store.payNewTrade(
      newTrade(deps, merchant, input, now, 'TRADE_SUCCESS'),
      alsoCommit,
    );
    switch (outcome.kind) {
      case 'paid':
        return { fields: payFields(outcome.trade), alipayTransId: outcome.trade.alipayTransId };
      case 'no-buyer':
        return failed('BUYER_NOT_EXIST');
      case 'insufficient':
        return failed('BUYER_BALANCE_NOT_ENOUGH');
      case 'lost-race':
        throw new LostRace();
      case 'exists':
        return replayExisting(deps, merchant, input, now, outcome.trade);
    }
  });
}

/**
 * The replay of a trade the pay found: from the trade as read when time has nothing to settle on it
 * (as a query answers), else from the trade settled under its lock.
 */
async function replayExisting(
  deps: ServiceDeps,
  merchant: Merchant,
  input: SpotPayInput,
  now: Date,
  seen: Trade,
): Promise<ServiceResult> {
  if (!needsSettling(seen, now, deps.policy)) return replayPay(seen, input);
  return deps.store.transaction(async (tx) => {
    const existing = await tx.getTradeForUpdate(merchant.partner, { partnerTransId: input.partnerTransId });
    // Gone since (a merchant reset): the retry pays anew.
    if (!existing) throw new LostRace();
    return replayPay(await settleTrade(tx, existing, now, deps.policy, deps.notifications), input);
  });
}

/**
 * Creates a WAIT_BUYER_PAY trade for a mock rule with effect "pending" (docs/rules.md), atomically;
 * a repeat replays it. Nothing is debited until its resolution pays it.
 */
export function createPendingTrade(
  deps: ServiceDeps,
  merchant: Merchant,
  input: SpotPayInput,
  now: Date,
  resolution: TradeResolution | null,
): Promise<ServiceResult> {
  return runLedgerStep(() =>
    deps.store.transaction(async (tx) => {
      const buyer = await tx.findPayerForCode(input.buyerIdentityCode);
      if (!buyer) return failed('BUYER_NOT_EXIST');
      const existing = await tx.getTradeForUpdate(merchant.partner, { partnerTransId: input.partnerTransId });
      if (existing)
        return replayPay(await settleTrade(tx, existing, now, deps.policy, deps.notifications), input);
      const unnumbered = newTrade(deps, merchant, input, now, 'WAIT_BUYER_PAY');
      const trade = {
        ...numberTrade(unnumbered, buyer, await tx.nextSequence(ALIPAY_TRANS_ID_SEQUENCE)),
        resolution,
      };
      if (!(await tx.insertTrade(trade))) throw new LostRace();
      return replayPay(trade, input);
    }),
  );
}

/** `alipay.acquire.overseas.spot.pay` (docs/reference/alipay-mapi-protocol.md §3). */
export const SPOT_PAY = defineService<SpotPayInput>({
  name: PAY_SERVICE,
  parse,
  failure: (_params, error) => failed(error).fields,
  run: pay,
});
