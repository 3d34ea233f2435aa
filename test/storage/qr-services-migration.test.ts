import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrationsFor, staticMigrationProvider } from '../../src/storage/migrations/index.js';
import type { Database } from '../../src/storage/schema.js';
import { createPostgresDialect } from '../../src/storage/postgres-dialect.js';
import { createSqliteDialect } from '../../src/storage/sqlite-dialect.js';
import type { StoreDialect } from '../../src/storage/store-dialect.js';
import { openStore } from '../../src/storage/open-store.js';
import {
  TEST_PG_URL,
  dropSchema,
  freshSchemaName,
  postgresSkipReason,
  tempSqlitePath,
} from '../helpers/store-matrix.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const CANCEL = 'alipay.acquire.cancel';
const REFUND = 'alipay.acquire.overseas.spot.refund';
const QUERY = 'alipay.acquire.overseas.query';
const QR = ['alipay.acquire.precreate', 'alipay.acquire.create'];
/** What migration 012 then adds to the six default services. */
const MERCHANT_QR = [
  'alipay.commerce.qrcode.create',
  'alipay.commerce.qrcode.modify',
  'alipay.commerce.qrcode.modifyStatus',
];

/** Merchants as a store of version 010 holds them: partner → stored services list. */
const BEFORE: Readonly<Record<string, string[]>> = {
  '2088000000000011': [PAY, CANCEL, REFUND, QUERY], // the old default
  '2088000000000012': [QUERY, PAY, REFUND, CANCEL], // the old default, in another order
  '2088000000000013': [PAY, QUERY], // narrowed by hand
  '2088000000000014': [PAY, CANCEL, REFUND, QUERY, QR[0]!], // widened by hand
};
/** After 011 and 012: the old default lists end with every service, hand-made lists are as they were. */
const AFTER: Readonly<Record<string, string[]>> = {
  '2088000000000011': [PAY, CANCEL, REFUND, QUERY, ...QR, ...MERCHANT_QR],
  '2088000000000012': [QUERY, PAY, REFUND, CANCEL, ...QR, ...MERCHANT_QR],
  '2088000000000013': [PAY, QUERY],
  '2088000000000014': [PAY, CANCEL, REFUND, QUERY, QR[0]!],
};

/** Migrates a new store to 010 (before the QR services) and stores BEFORE's merchants in it. */
async function storeOfVersion010(dialect: StoreDialect): Promise<void> {
  const db = new Kysely<Database>({ dialect: dialect.dialect });
  try {
    await dialect.withMigrationLock(async (schema) => {
      const migrator = new Migrator({
        db,
        provider: staticMigrationProvider(migrationsFor(dialect.kind)),
        ...(schema === undefined ? {} : { migrationTableSchema: schema }),
      });
      assert.equal((await migrator.migrateTo('010-check-runs')).error, undefined);
    });
    for (const [partner, services] of Object.entries(BEFORE)) {
      await db
        .insertInto('merchants')
        .values({
          partner,
          name: `Merchant ${partner}`,
          md5_key: 'k'.repeat(32),
          rsa_public_key: null,
          sign_types: JSON.stringify(['MD5']),
          currencies: JSON.stringify(['USD']),
          services: JSON.stringify(services),
          created_at: 0,
          updated_at: 0,
        })
        .execute();
    }
  } finally {
    await db.destroy();
  }
}

async function servicesAfterOpening(url: string, opts: { schema?: string } = {}) {
  const store = await openStore(url, opts);
  try {
    const out: Record<string, string[]> = {};
    for (const partner of Object.keys(BEFORE)) out[partner] = (await store.getMerchant(partner))!.services;
    return out;
  } finally {
    await store.close();
  }
}

describe('migration 011: merchants with the old default services get the QR-code services', () => {
  it('on SQLite', async () => {
    const file = await tempSqlitePath();
    try {
      await storeOfVersion010(createSqliteDialect(file.path));
      assert.deepEqual(await servicesAfterOpening(`sqlite:${file.path}`), AFTER);
    } finally {
      await file.remove();
    }
  });

  it('on PostgreSQL', { skip: postgresSkipReason() }, async () => {
    const schema = freshSchemaName();
    try {
      await storeOfVersion010(createPostgresDialect(TEST_PG_URL, { schema, poolSize: 1 }));
      assert.deepEqual(await servicesAfterOpening(TEST_PG_URL, { schema }), AFTER);
    } finally {
      await dropSchema(schema);
    }
  });
});
