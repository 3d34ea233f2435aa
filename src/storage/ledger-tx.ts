import type { Kysely } from 'kysely';
import { adjustBalanceRow, selectBuyer, selectPayerForCode } from './buyer-queries.js';
import { insertNotificationRow } from './notification-queries.js';
import { insertRefundRow, selectRefund } from './refund-queries.js';
import type { Database } from './schema.js';
import { nextSequenceValue } from './sequence-queries.js';
import type { LedgerTx } from '../ledger/ledger-store.js';
import type { StoreDialect } from './store-dialect.js';
import {
  insertMerchantQrRow,
  selectMerchantQr,
  selectStoreMerchantQr,
  updateMerchantQrRow,
} from './merchant-qr-queries.js';
import { insertTradeRow, selectTrade, updateTradeRow } from './trade-queries.js';

/** The LedgerTx operations bound to one open Kysely transaction. */
export function createLedgerTx(trx: Kysely<Database>, dialect: StoreDialect): LedgerTx {
  // On SQLite the whole database is already write-locked by BEGIN IMMEDIATE, so no row locks.
  const lock = dialect.rowLocks;
  return {
    findPayerForCode: (code) => selectPayerForCode(trx, code),
    getTradeForUpdate: (partner, key) => selectTrade(trx, partner, key, lock),
    insertTrade: (trade) => insertTradeRow(trx, trade),
    updateTrade: (alipayTransId, patch) => updateTradeRow(trx, alipayTransId, patch),
    getBuyerForUpdate: (userId) => selectBuyer(trx, userId, lock),
    adjustBalance: (userId, currency, deltaMinor) => adjustBalanceRow(trx, userId, currency, deltaMinor),
    getRefund: (partner, partnerRefundId) => selectRefund(trx, partner, partnerRefundId),
    insertRefund: (refund) => insertRefundRow(trx, refund),
    nextSequence: (name) => nextSequenceValue(trx, name),
    insertNotification: (notification) => insertNotificationRow(trx, notification),
    getMerchantQrForUpdate: (partner, id) => selectMerchantQr(trx, partner, id, lock),
    findStoreMerchantQr: (partner, storeId, withFee) =>
      selectStoreMerchantQr(trx, partner, storeId, withFee, lock),
    insertMerchantQr: (code) => insertMerchantQrRow(trx, code),
    updateMerchantQr: (partner, id, patch) => updateMerchantQrRow(trx, partner, id, patch),
  };
}
