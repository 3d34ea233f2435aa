import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { narrowOldDefaultServices, widenOldDefaultServices } from './default-services-upgrade.js';

/** The services a merchant got by default before the QR-code services existed, in their stored order. */
const OLD_DEFAULT = [
  'alipay.acquire.overseas.spot.pay',
  'alipay.acquire.cancel',
  'alipay.acquire.overseas.spot.refund',
  'alipay.acquire.overseas.query',
];
/** The QR-code services (docs/protocol.md §12) a merchant with the old default list is given. */
const QR_SERVICES = ['alipay.acquire.precreate', 'alipay.acquire.create'];

/**
 * Merchants stored with the old default four services get the QR-code services too, so precreate and
 * create do not answer ILLEGAL_PARTNER_EXTERFACE after an upgrade; a list someone narrowed or widened
 * by hand is a choice and stays as it is. Down removes them again from exactly those lists.
 */
export const qrServicesMigration: Migration = {
  up: (db: Kysely<unknown>) => widenOldDefaultServices(db, OLD_DEFAULT, QR_SERVICES),
  down: (db: Kysely<unknown>) => narrowOldDefaultServices(db, OLD_DEFAULT, QR_SERVICES),
};
