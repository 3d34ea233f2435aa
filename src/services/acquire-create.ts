import { z } from 'zod';
import type { Merchant, Trade, TradeResolution } from '../ledger/model.js';
import { parseQrOrder, type QrOrderInput } from './qr-order-params.js';
import { createQrOrder, qrOrderFailure } from './qr-order.js';
import {
  defineService,
  type ParamCheck,
  type ServiceDeps,
  type ServiceResult,
} from './service-definition.js';

const BUYER = z.object({
  buyer_id: z
    .string()
    .regex(/^2088\d{12}$/, 'must be a 16-digit user id starting with 2088')
    .optional(),
  buyer_email: z.string().max(100).optional(),
  alipay_ca_request: z.enum(['1', '2']).optional(),
});

/** A create request: a QR order for a known buyer (docs/protocol.md §12.2). */
export interface CreateInput extends QrOrderInput {
  buyerId: string | undefined;
  buyerEmail: string | undefined;
}

function parse(params: Readonly<Record<string, string>>, merchant: Merchant): ParamCheck<CreateInput> {
  const buyer = BUYER.safeParse(params);
  if (!buyer.success) {
    const issue = buyer.error.issues[0];
    return { ok: false, kind: 'gateway', reason: `${issue?.path.join('.') ?? '?'} ${issue?.message ?? ''}` };
  }
  const { buyer_id: buyerId, buyer_email: buyerEmail } = buyer.data;
  if (buyerId === undefined && buyerEmail === undefined)
    return { ok: false, kind: 'gateway', reason: 'buyer_id or buyer_email is required' };
  const order = parseQrOrder(params, merchant);
  if (!order.ok) return order;
  return { ok: true, value: { ...order.value, buyerId, buyerEmail } };
}

/** The answer of a created trade: its ids (D-3PQ: "receive the trade_no from the returned results"). */
function createFields(trade: Trade) {
  return { out_trade_no: trade.partnerTransId, result_code: 'SUCCESS', trade_no: trade.alipayTransId };
}

async function run(
  deps: ServiceDeps,
  merchant: Merchant,
  input: CreateInput,
  now: Date,
  resolution?: TradeResolution,
): Promise<ServiceResult> {
  // buyer_id wins over buyer_email; a sandbox buyer's email is its login id.
  const buyer =
    input.buyerId !== undefined
      ? await deps.store.getBuyer(input.buyerId)
      : (await deps.store.listBuyers()).find((b) => b.loginId === input.buyerEmail);
  if (!buyer) return { fields: qrOrderFailure(input.outTradeNo, 'BUYER_NOT_EXIST') };
  return createQrOrder(deps, merchant, input, now, createFields, { buyer, resolution });
}

/**
 * `alipay.acquire.create` (docs/protocol.md §12.2): a WAIT_BUYER_PAY trade for a known buyer, paid
 * when that buyer confirms in the wallet (here: the sandbox wallet, by the trade's QR code).
 */
export const ACQUIRE_CREATE = defineService<CreateInput>({
  name: 'alipay.acquire.create',
  parse,
  failure: (params, error) => qrOrderFailure(params.out_trade_no, error),
  run: (deps, merchant, input, now) => run(deps, merchant, input, now),
  // As precreate's: a parked order with no scripted end belongs to the rule, so no wallet pays it.
  runPending: (deps, merchant, input, now, resolution) =>
    run(deps, merchant, input, now, resolution ?? { to: 'closed', at: null, afterQueries: null }),
});
