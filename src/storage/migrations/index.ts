import type { Migration, MigrationProvider } from 'kysely/migration';
import type { StoreDialect } from '../store-dialect.js';
import { ledgerMigration } from './001-ledger.js';
import { settingsMigration } from './002-settings.js';
import { rulesAndRequestLogMigration } from './003-rules-and-request-log.js';
import { notificationsMigration } from './004-notifications.js';
import { consoleAccountsMigration } from './005-console-accounts.js';
import { apiKeysMigration } from './006-api-keys.js';
import { changeNotificationsMigration } from './007-change-notifications.js';
import { requestLogApartMigration } from './008-request-log-apart.js';
import { requestLogRequestIdMigration } from './009-request-log-request-id.js';
import { checkRunsMigration } from './010-check-runs.js';
import { qrServicesMigration } from './011-qr-services.js';
import { merchantQrCodesMigration } from './012-merchant-qr-codes.js';
import { sandboxTimeMigration } from './013-sandbox-time.js';
import { clockChangeNotificationsMigration } from './014-clock-change-notifications.js';
import { unpaidTradesIndexMigration } from './015-unpaid-trades-index.js';
import { payNewTradesFunctionMigration } from './016-pay-new-trades-function.js';

/**
 * Every migration for a dialect, keyed by a name that sorts in the order they must run. Append
 * only. Most migrations are the same for both dialects; the kind is passed to those that are not.
 */
export function migrationsFor(kind: StoreDialect['kind']): Readonly<Record<string, Migration>> {
  return {
    '001-ledger': ledgerMigration,
    '002-settings': settingsMigration,
    '003-rules-and-request-log': rulesAndRequestLogMigration(kind),
    '004-notifications': notificationsMigration,
    '005-console-accounts': consoleAccountsMigration,
    '006-api-keys': apiKeysMigration,
    '007-change-notifications': changeNotificationsMigration(kind),
    '008-request-log-apart': requestLogApartMigration(kind),
    '009-request-log-request-id': requestLogRequestIdMigration(kind),
    '010-check-runs': checkRunsMigration,
    '011-qr-services': qrServicesMigration,
    '012-merchant-qr-codes': merchantQrCodesMigration,
    '013-sandbox-time': sandboxTimeMigration(kind),
    '014-clock-change-notifications': clockChangeNotificationsMigration(kind),
    '015-unpaid-trades-index': unpaidTradesIndexMigration,
    '016-pay-new-trades-function': payNewTradesFunctionMigration(kind),
  };
}

/**
 * Serves the migrations from memory: a file-system provider would look for .ts files next to the
 * compiled output and find nothing in dist/.
 */
export function staticMigrationProvider(migrations: Readonly<Record<string, Migration>>): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations) };
}
