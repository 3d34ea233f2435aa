import type { Kysely } from 'kysely';

type MerchantsDb = Kysely<{ merchants: { partner: string; services: string } }>;

/** Whether a stored services column holds exactly `oldDefault`, in any order. */
function holdsExactly(services: string, oldDefault: readonly string[]): boolean {
  let list: unknown;
  try {
    list = JSON.parse(services);
  } catch {
    return false;
  }
  return (
    Array.isArray(list) && list.length === oldDefault.length && oldDefault.every((s) => list.includes(s))
  );
}

/**
 * Gives `added` to every merchant whose services are exactly an earlier default list, so that new
 * services do not answer ILLEGAL_PARTNER_EXTERFACE after an upgrade; a list someone narrowed or widened
 * by hand is a choice and stays as it is. Migrations 011 and 012 use it with their own lists.
 */
export async function widenOldDefaultServices(
  db: Kysely<unknown>,
  oldDefault: readonly string[],
  added: readonly string[],
): Promise<void> {
  const d = db as unknown as MerchantsDb;
  const rows = await d.selectFrom('merchants').select(['partner', 'services']).execute();
  for (const row of rows.filter((r) => holdsExactly(r.services, oldDefault))) {
    const services = JSON.stringify([...(JSON.parse(row.services) as string[]), ...added]);
    await d.updateTable('merchants').set({ services }).where('partner', '=', row.partner).execute();
  }
}

/** Undoes widenOldDefaultServices on exactly the lists it produced. */
export async function narrowOldDefaultServices(
  db: Kysely<unknown>,
  oldDefault: readonly string[],
  added: readonly string[],
): Promise<void> {
  await (db as unknown as MerchantsDb)
    .updateTable('merchants')
    .set({ services: JSON.stringify(oldDefault) })
    .where('services', '=', JSON.stringify([...oldDefault, ...added]))
    .execute();
}
