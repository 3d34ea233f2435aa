import { CANCEL_SERVICE, PAY_SERVICE, QUERY_SERVICE, REFUND_SERVICE } from '../protocol/constants.js';
import { randomInt } from 'node:crypto';
import { formatBeijingCompact } from '../ledger/beijing-time.js';

/** Short service names the `call` command accepts; anything else is sent as written. */
export const SERVICE_ALIASES: Readonly<Record<string, string>> = {
  pay: PAY_SERVICE,
  cancel: CANCEL_SERVICE,
  refund: REFUND_SERVICE,
  query: QUERY_SERVICE,
};

/** The full service name of a short one (pay, cancel, refund, query), or the name itself. */
export function resolveService(name: string): string {
  return SERVICE_ALIASES[name] ?? name;
}

/** A fresh merchant id: the prefix, Beijing time `yyyyMMddHHmmss` and 4 random digits. */
export function newMerchantId(prefix: string, now: Date): string {
  return `${prefix}${formatBeijingCompact(now)}${String(randomInt(10_000)).padStart(4, '0')}`;
}

/**
 * Fills the required parameters a quick manual call leaves out, so `alipay-mock call pay` alone
 * pays 0.01 USD with the default sandbox buyer. Given parameters always win; an explicitly empty one
 * (`--biz_product=`) stays empty, and the client then does not send it.
 */
export function withCallDefaults(
  service: string,
  params: Record<string, string>,
  partner: string,
  now: Date,
): Record<string, string> {
  return { ...defaultsOf(service, partner, now), ...params };
}

function defaultsOf(service: string, partner: string, now: Date): Record<string, string> {
  switch (service) {
    case SERVICE_ALIASES['pay']:
      return {
        alipay_seller_id: partner,
        partner_trans_id: newMerchantId('CLI', now),
        trans_name: 'alipay-mock call',
        currency: 'USD',
        trans_amount: '0.01',
        buyer_identity_code: '280000000000000001',
        identity_code_type: 'barcode',
        biz_product: 'OVERSEAS_MBARCODE_PAY',
      };
    case SERVICE_ALIASES['cancel']:
      return { timestamp: String(now.getTime()) };
    case SERVICE_ALIASES['refund']:
      return { partner_refund_id: newMerchantId('CLIR', now), currency: 'USD', is_sync: 'Y' };
    default:
      return {};
  }
}
