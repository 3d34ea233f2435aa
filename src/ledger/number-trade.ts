import { makeAlipayTransId } from './alipay-trans-id.js';
import type { Payer, UnnumberedTrade } from './ledger-store.js';
import type { Trade } from './model.js';

/**
 * The trade paid by `payer`, numbered with `sequence` (a value of ALIPAY_TRANS_ID_SEQUENCE). On
 * PostgreSQL the function pay_new_trades fills in the same fields in SQL (storage/migrations/016-*).
 */
export function numberTrade(trade: UnnumberedTrade, payer: Payer, sequence: number): Trade {
  return {
    ...trade,
    alipayTransId: makeAlipayTransId(trade.createdAt, payer.userId, sequence),
    buyerUserId: payer.userId,
    buyerLoginId: payer.loginId,
    paymentInst: payer.wallet,
  };
}
