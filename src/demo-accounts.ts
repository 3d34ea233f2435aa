import { CURRENCIES, SERVICES, SIGN_TYPES } from './protocol/constants.js';
import type { NewBuyer, NewMerchant, Store } from './storage/store.js';

/**
 * The demo merchant is the widely published old global sandbox test account (docs/protocol.md
 * §11.1), so requests recorded from real client libraries verify against a fresh sandbox.
 */
export const DEMO_MERCHANT: NewMerchant = {
  partner: '2088101122136241',
  name: 'Demo Shop',
  md5Key: '760bdzec6y9goq7ctyx96ezkz78287de',
  rsaPublicKey: null,
  signTypes: [...SIGN_TYPES],
  currencies: [...CURRENCIES],
  services: [...SERVICES],
};

/** A Hong Kong merchant settling in HKD (answers carry `payment_inst`, no CNY fields). */
export const DEMO_HK_MERCHANT: NewMerchant = {
  partner: '2088021966388155',
  name: 'Demo HK Shop',
  md5Key: 'hkdemo7c2b9q4x1m8z5v3n6p0r2t4w8y',
  rsaPublicKey: null,
  signTypes: [...SIGN_TYPES],
  currencies: ['HKD'],
  services: [...SERVICES],
};

const AMPLE = 100_000_000_000; // 1 000 000 000.00 in every currency: "ample" for any test

/** Sandbox buyers created with the demo merchants. */
export const DEMO_BUYERS: NewBuyer[] = [
  {
    userId: '2088622937243084',
    loginId: 'cnbuyer_8292@alitest.com',
    name: 'Default buyer (pays for any other well-formed code)',
    wallet: 'ALIPAYCN',
    paymentCode: null,
    isDefault: true,
    balances: Object.fromEntries(
      CURRENCIES.map((c) => [c, c === 'JPY' || c === 'KRW' ? AMPLE / 100 : AMPLE]),
    ),
  },
  {
    userId: '2088000000000101',
    loginId: 'cnbuyer_0101@alitest.com',
    name: 'Low-balance buyer',
    wallet: 'ALIPAYCN',
    paymentCode: '281111111111111111',
    isDefault: false,
    balances: { USD: 1000, CNY: 5000, HKD: 1000 },
  },
  {
    userId: '2088042172056571',
    loginId: '852-98760654',
    name: 'AlipayHK buyer',
    wallet: 'ALIPAYHK',
    paymentCode: '282222222222222222',
    isDefault: false,
    balances: { HKD: 10_000_000 },
  },
];

/** Creates the demo merchants and buyers when the store has no merchant at all. Returns true if it did. */
export async function seedDemoAccounts(store: Store): Promise<boolean> {
  if (!(await store.isEmpty())) return false;
  for (const m of [DEMO_MERCHANT, DEMO_HK_MERCHANT]) await store.createMerchant(m);
  for (const b of DEMO_BUYERS) if (!(await store.getBuyer(b.userId))) await store.createBuyer(b);
  return true;
}
