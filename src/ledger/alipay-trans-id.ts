import { beijingDay } from './beijing-time.js';

/** The store sequence (LedgerTx.nextSequence) that numbers every trade, whichever service creates it. */
export const ALIPAY_TRANS_ID_SEQUENCE = 'alipay_trans_id';

/**
 * Builds a 28-digit `alipay_trans_id` shaped like every real sample (docs/reference/alipay-mapi-protocol.md §8.3):
 * Beijing date + "22001" + "4" + digits 12–15 of the buyer's user id + a 10-digit sequence.
 */
export function makeAlipayTransId(date: Date, buyerUserId: string, sequence: number): string {
  const buyerPart = buyerUserId.padStart(16, '0').slice(11, 15);
  const seq = String(sequence % 10_000_000_000).padStart(10, '0');
  return `${alipayTransIdPrefix(date)}${buyerPart}${seq}`;
}

/**
 * What the day alone decides of an `alipay_trans_id`: its first 14 digits. PostgreSQL's pay function
 * appends the rest in SQL (migration 016, held equal to makeAlipayTransId by
 * test/storage/pay-new-trades-call.test.ts).
 */
export function alipayTransIdPrefix(date: Date): string {
  return `${beijingDay(date)}220014`;
}
