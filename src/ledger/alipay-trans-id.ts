import { beijingDay } from './beijing-time.js';

/**
 * Builds a 28-digit `alipay_trans_id` shaped like every real sample (docs/reference/alipay-mapi-protocol.md §8.3):
 * Beijing date + "22001" + "4" + digits 12–15 of the buyer's user id + a 10-digit sequence.
 */
export function makeAlipayTransId(date: Date, buyerUserId: string, sequence: number): string {
  const buyerPart = buyerUserId.padStart(16, '0').slice(11, 15);
  const seq = String(sequence % 10_000_000_000).padStart(10, '0');
  return `${beijingDay(date)}220014${buyerPart}${seq}`;
}
