/**
 * The rule file of scenario e: 10 000 custom rules across 1 000 merchants, the bench merchant among
 * them, none of which matches the scenario's request (a 9901 spot pay of that merchant), so the
 * default rule still answers and the scenario measures what the custom rules cost a request.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_MERCHANT } from '../src/demo-accounts.js';

export const MANY_RULES_MERCHANTS = 1_000;
export const MANY_RULES_PER_MERCHANT = 10;

const PAY = 'alipay.acquire.overseas.spot.pay';
const DECLINE = { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' };

/** Ten rules of one merchant, one of each kind of condition integrators write. */
function rulesOf(partner: string, m: number): object[] {
  const rule = (n: number, service: string, when: object[], then: object = DECLINE) => ({
    id: `bench-${m}-${n}`,
    partner,
    service,
    name: `bench rule ${n} of merchant ${m}`,
    priority: n % 3,
    when,
    then,
  });
  return [
    rule(0, PAY, [{ field: 'trans_amount', op: 'eq', value: `${1000 + m}.01` }]),
    rule(1, PAY, [{ field: 'partner_trans_id', op: 'prefix', value: `R${m}-` }]),
    rule(2, PAY, [{ field: 'trans_amount', op: 'gt', value: `${100_000 + m}` }]),
    rule(3, PAY, [
      { field: 'currency', op: 'in', value: ['JPY', 'KRW'] },
      { field: 'trans_amount', op: 'lt', value: '5' },
    ]),
    rule(4, PAY, [{ field: 'trans_name', op: 'regex', value: `^order-${m}-\\d+$` }]),
    rule(5, PAY, [{ field: 'extend_info.store_id', op: 'eq', value: `S${m}` }]),
    rule(6, PAY, [{ field: 'buyer_identity_code', op: 'eq', value: `28${String(m).padStart(16, '0')}` }]),
    rule(7, 'alipay.acquire.overseas.query', [{ field: 'partner_trans_id', op: 'eq', value: `Q${m}` }], {
      type: 'business',
      result_code: 'FAIL',
      error: 'SYSTEM_ERROR',
    }),
    rule(8, 'alipay.acquire.overseas.spot.refund', [{ field: 'refund_amount', op: 'eq', value: `${m}.08` }], {
      type: 'business',
      result_code: 'FAILED',
      error: 'SYSTEM_ERROR',
    }),
    rule(9, 'alipay.acquire.cancel', [{ field: 'partner_trans_id', op: 'prefix', value: `C${m}-` }], {
      type: 'business',
      result_code: 'FAIL',
      error: 'SYSTEM_ERROR',
    }),
  ];
}

/**
 * Writes the rule file (JSON, which the YAML reader takes) into `dir`, ten rules of `partner` among
 * them; returns its path.
 */
export async function writeManyRulesFile(dir: string, partner = DEMO_MERCHANT.partner): Promise<string> {
  const partners = [
    partner,
    ...Array.from({ length: MANY_RULES_MERCHANTS - 1 }, (_, i) => `2088${String(i + 1).padStart(12, '0')}`),
  ];
  const rules = partners.flatMap((partner, m) => rulesOf(partner, m));
  const file = join(dir, 'many-rules.json');
  await writeFile(file, JSON.stringify({ version: 1, rules }));
  return file;
}
