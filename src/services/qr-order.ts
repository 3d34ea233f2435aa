import { tradeRates } from '../ledger/rates.js';
import { ALIPAY_TRANS_ID_SEQUENCE, makeAlipayTransId } from '../ledger/alipay-trans-id.js';
import { payDeadline } from '../ledger/pay-timeout.js';
import { makeWalletToken } from '../ledger/wallet-token.js';
import type { Payer } from '../ledger/ledger-store.js';
import type { Merchant, Trade, TradeResolution } from '../ledger/model.js';
import { LostRace, runLedgerStep } from './abort-with.js';
import type { QrOrderInput } from './qr-order-params.js';
import type { ResponseFields } from '../ledger/trade-fields.js';
import type { ServiceDeps, ServiceResult } from './service-definition.js';
import { settleTrade } from '../ledger/settle-trade.js';

/** Where QR code URLs point when the caller's origin is unknown (a request without a Host header). */
const FALLBACK_ORIGIN = 'http://127.0.0.1:8080';

/** Chinese descriptions of `detail_error_code`, as EX-P writes them (docs/protocol.md §14.9, §12.4). */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  TRADE_HAS_SUCCESS: '交易已经支付',
  TRADE_HAS_CLOSE: '交易已经关闭',
  CONTEXT_INCONSISTENT: '交易信息被篡改',
  TRADE_BUYER_NOT_MATCH: '交易买家不匹配',
  BUYER_NOT_EXIST: '买家不存在',
  INVALID_PARAMETER: '参数无效',
  TOTAL_FEE_EXCEED: '订单总金额超过限额',
  SYSTEM_ERROR: '系统错误',
};

/** A business failure of precreate or create: `result_code` FAIL with `detail_error_code` (EX-P). */
export function qrOrderFailure(outTradeNo: string | undefined, error: string): ResponseFields {
  return {
    detail_error_code: error,
    detail_error_des: DESCRIPTIONS[error],
    out_trade_no: outTradeNo,
    result_code: 'FAIL',
  };
}

/** The wallet URL of a waiting trade: what `qr_code` holds and the sandbox wallet opens (§12.6). */
export function orderQrCode(origin: string | undefined, merchant: Merchant, alipayTransId: string): string {
  const token = makeWalletToken(
    { kind: 'order', partner: merchant.partner, id: alipayTransId },
    merchant.md5Key,
  );
  return `${origin ?? FALLBACK_ORIGIN}/wallet/${token}`;
}

/** Fields of a successful precreate (docs/protocol.md §12.1): the QR code and its images. */
export function precreateFields(trade: Trade, qrCode: string): ResponseFields {
  return {
    big_pic_url: `${qrCode}/qr.svg?size=L`,
    out_trade_no: trade.partnerTransId,
    pic_url: `${qrCode}/qr.svg?size=M`,
    qr_code: qrCode,
    result_code: 'SUCCESS',
    small_pic_url: `${qrCode}/qr.svg?size=S`,
    trade_no: trade.alipayTransId,
    voucher_type: 'qrcode',
  };
}

/** What a QR service answers for a new or replayed trade. */
export type QrAnswer = (trade: Trade) => ResponseFields;

/** Builds the WAIT_BUYER_PAY row of a QR order; the buyer is empty until one scans (precreate). */
function newQrTrade(
  deps: ServiceDeps,
  merchant: Merchant,
  input: QrOrderInput,
  buyer: Payer | undefined,
  alipayTransId: string,
  now: Date,
): Trade {
  const deadline = input.itBPay === undefined ? undefined : payDeadline(now, input.itBPay);
  return {
    alipayTransId,
    partner: merchant.partner,
    partnerTransId: input.outTradeNo,
    status: 'WAIT_BUYER_PAY',
    buyerUserId: buyer?.userId ?? '',
    buyerLoginId: buyer?.loginId ?? '',
    // Empty: no payment code was scanned. This marks the trade as one a wallet pays (§12.6).
    buyerIdentityCode: '',
    paymentInst: buyer?.wallet ?? 'ALIPAYCN',
    currency: input.currency,
    transCurrency: input.transCurrency,
    amountMinor: input.amountMinor,
    refundedMinor: 0,
    ...tradeRates(input.currency, input.transCurrency, deps.rates),
    transName: input.subject,
    notifyUrl: input.notifyUrl,
    createdAt: now,
    paidAt: null,
    closedAt: null,
    expiresAt: deadline ?? new Date(now.getTime() + deps.policy.unpaidTimeoutMs),
    closeReason: null,
    cancelAction: null,
    resolution: null,
    queryCount: 0,
  };
}

/**
 * The answer to a repeated out_trade_no (docs/protocol.md §12.3): a waiting QR trade with the same
 * content and buyer answers as it did; a paid or closed one, another content or buyer is refused.
 */
function replay(
  trade: Trade,
  input: QrOrderInput,
  buyer: Payer | undefined,
  answer: QrAnswer,
): ServiceResult {
  const base = { alipayTransId: trade.alipayTransId };
  const fail = (code: string) => ({ ...base, fields: qrOrderFailure(input.outTradeNo, code) });
  if (trade.status === 'TRADE_SUCCESS' || trade.status === 'TRADE_FINISHED') return fail('TRADE_HAS_SUCCESS');
  if (trade.status === 'TRADE_CLOSED') return fail('TRADE_HAS_CLOSE');
  if (trade.buyerIdentityCode !== '') return fail('CONTEXT_INCONSISTENT');
  if (buyer !== undefined && trade.buyerUserId !== buyer.userId) return fail('TRADE_BUYER_NOT_MATCH');
  if (
    trade.amountMinor !== input.amountMinor ||
    trade.currency !== input.currency ||
    trade.transCurrency !== input.transCurrency
  ) {
    return fail('CONTEXT_INCONSISTENT');
  }
  return { ...base, fields: answer(trade) };
}

/**
 * Creates a QR order's trade, atomically, or replays the one its out_trade_no already has. `buyer`
 * is the known buyer of alipay.acquire.create, undefined for precreate. A mock rule's "pending"
 * passes `resolution`: the trade then belongs to the rule, and no wallet may pay it.
 */
export function createQrOrder(
  deps: ServiceDeps,
  merchant: Merchant,
  input: QrOrderInput,
  now: Date,
  answer: QrAnswer,
  opts: { buyer?: Payer | undefined; resolution?: TradeResolution | undefined } = {},
): Promise<ServiceResult> {
  return runLedgerStep(() =>
    deps.store.transaction(async (tx) => {
      const existing = await tx.getTradeForUpdate(merchant.partner, { partnerTransId: input.outTradeNo });
      if (existing) {
        const settled = await settleTrade(tx, existing, now, deps.policy, deps.notifications);
        return replay(settled, input, opts.buyer, answer);
      }
      const seq = await tx.nextSequence(ALIPAY_TRANS_ID_SEQUENCE);
      const id = makeAlipayTransId(now, opts.buyer?.userId ?? merchant.partner, seq);
      const trade = newQrTrade(deps, merchant, input, opts.buyer, id, now);
      if (opts.resolution) trade.resolution = opts.resolution;
      if (!(await tx.insertTrade(trade))) throw new LostRace();
      return { fields: answer(trade), alipayTransId: id };
    }),
  );
}
