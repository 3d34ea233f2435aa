import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The services a merchant got by default before the QR-code services existed, in their stored order. */
const OLD_DEFAULT = [
  'alipay.acquire.overseas.spot.pay',
  'alipay.acquire.cancel',
  'alipay.acquire.overseas.spot.refund',
  'alipay.acquire.overseas.query',
];
/** The QR-code services (docs/protocol.md §12) a merchant with the old default list is given. */
const QR_SERVICES = ['alipay.acquire.precreate', 'alipay.acquire.create'];

/** Whether a stored services column holds exactly the old default four, in any order. */
function isOldDefault(services: string): boolean {
  let list: unknown;
  try {
    list = JSON.parse(services);
  } catch {
    return false;
  }
  return (
    Array.isArray(list) && list.length === OLD_DEFAULT.length && OLD_DEFAULT.every((s) => list.includes(s))
  );
}

/**
 * Merchants stored with the old default four services get the QR-code services too, so precreate and
 * create do not answer ILLEGAL_PARTNER_EXTERFACE after an upgrade; a list someone narrowed or widened
 * by hand is a choice and stays as it is. Down removes them again from exactly those lists.
 */
export const qrServicesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const d = db as unknown as Kysely<{ merchants: { partner: string; services: string } }>;
    const rows = await d.selectFrom('merchants').select(['partner', 'services']).execute();
    for (const row of rows.filter((r) => isOldDefault(r.services))) {
      const services = JSON.stringify([...(JSON.parse(row.services) as string[]), ...QR_SERVICES]);
      await d.updateTable('merchants').set({ services }).where('partner', '=', row.partner).execute();
    }
  },
  async down(db: Kysely<unknown>): Promise<void> {
    const d = db as unknown as Kysely<{ merchants: { partner: string; services: string } }>;
    const all = JSON.stringify([...OLD_DEFAULT, ...QR_SERVICES]);
    await d
      .updateTable('merchants')
      .set({ services: JSON.stringify(OLD_DEFAULT) })
      .where('services', '=', all)
      .execute();
  },
};
