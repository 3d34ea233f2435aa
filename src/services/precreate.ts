import type { Merchant, TradeResolution } from '../ledger/model.js';
import { parseQrOrder, type QrOrderInput } from './qr-order-params.js';
import { createQrOrder, orderQrCode, precreateFields, qrOrderFailure } from './qr-order.js';
import { defineService, type ServiceDeps, type ServiceResult } from './service-definition.js';

/** A rule's parked precreate with no scripted end still belongs to the rule: no buyer ever scans it. */
const NEVER_SCANNED: TradeResolution = { to: 'closed', at: null, afterQueries: null };

function run(
  deps: ServiceDeps,
  merchant: Merchant,
  input: QrOrderInput,
  now: Date,
  origin: string | undefined,
  resolution?: TradeResolution,
): Promise<ServiceResult> {
  const answer = (trade: Parameters<typeof precreateFields>[0]) =>
    precreateFields(trade, orderQrCode(origin, merchant, trade.alipayTransId));
  return createQrOrder(deps, merchant, input, now, answer, { resolution });
}

/**
 * `alipay.acquire.precreate` (docs/protocol.md §12.1): a WAIT_BUYER_PAY trade without a buyer and the
 * QR code a buyer scans to pay it, a URL of this sandbox's wallet page.
 */
export const PRECREATE = defineService<QrOrderInput>({
  name: 'alipay.acquire.precreate',
  parse: parseQrOrder,
  failure: (params, error) => qrOrderFailure(params.out_trade_no, error),
  run: (deps, merchant, input, now, origin) => run(deps, merchant, input, now, origin),
  runPending: (deps, merchant, input, now, resolution, origin) =>
    run(deps, merchant, input, now, origin, resolution ?? NEVER_SCANNED),
});
