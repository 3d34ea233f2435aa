import type { ConsoleAccounts } from './ports/console-accounts.js';
import { CURRENCIES, SERVICES, SIGN_TYPES } from './protocol/constants.js';
import type { NewBuyer, NewMerchant, LedgerStore } from './ledger/ledger-store.js';
import { StoreConflictError } from './ports/store-conflict-error.js';

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

/** A web console login of a demo merchant (README, "Demo accounts"). */
export interface DemoConsoleLogin {
  email: string;
  password: string;
  partner: string;
  /** scrypt hash of `password` (src/console/password-hash.ts), made once: seeding costs no scrypt run. */
  passwordHash: string;
}

/** The demo merchants' console logins; public like the demo MD5 keys. */
export const DEMO_CONSOLE_LOGINS: readonly DemoConsoleLogin[] = [
  {
    email: 'demo@alipay-mock.test',
    password: 'sandbox123',
    partner: DEMO_MERCHANT.partner,
    passwordHash: 'scrypt$16384$8$1$etxQtIlv2D6jq03ngsyEtQ==$dt+3915ilxrM+UzbddAxpfoNDLqW44ZsAK4NDATZeS0=',
  },
  {
    email: 'hk@alipay-mock.test',
    password: 'sandbox123',
    partner: DEMO_HK_MERCHANT.partner,
    passwordHash: 'scrypt$16384$8$1$2OjPigrwoz7zl26TWrGZaA==$H27tpZUJK4mNJjHEUic5zypIyVA2FHKac6QyW6owB/Q=',
  },
];

/**
 * Gives each demo merchant that exists and has no console login at all its demo login, so a store
 * created before the console gets them too; a login whose password was changed is left alone.
 */
async function seedDemoConsoleLogins(store: LedgerStore & ConsoleAccounts): Promise<void> {
  for (const login of DEMO_CONSOLE_LOGINS) {
    if (!(await store.getMerchant(login.partner))) continue;
    if ((await store.listConsoleAccounts(login.partner)).length > 0) continue;
    if (await store.getConsoleAccount(login.email)) continue;
    await store
      .createConsoleAccount({ email: login.email, partner: login.partner, passwordHash: login.passwordHash })
      .catch((err: unknown) => {
        // Another instance starting on the same store created it first.
        if (!(err instanceof StoreConflictError)) throw err;
      });
  }
}

/**
 * Creates the demo merchants and buyers when the store has no merchant at all, and the demo console
 * logins of demo merchants that have none. Returns true if it created the merchants.
 */
export async function seedDemoAccounts(store: LedgerStore & ConsoleAccounts): Promise<boolean> {
  const empty = await store.isEmpty();
  if (empty) {
    // Several instances started at once on an empty store all see it empty: the first one's rows win.
    const unlessTaken = (err: unknown) => {
      if (!(err instanceof StoreConflictError)) throw err;
    };
    for (const m of [DEMO_MERCHANT, DEMO_HK_MERCHANT]) await store.createMerchant(m).catch(unlessTaken);
    for (const b of DEMO_BUYERS)
      if (!(await store.getBuyer(b.userId))) await store.createBuyer(b).catch(unlessTaken);
  }
  await seedDemoConsoleLogins(store);
  return empty;
}
