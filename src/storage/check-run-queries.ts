import type { Kysely, Selectable } from 'kysely';
import type { CheckRun, NewCheckRun } from '../check/check-run-store.js';
import type { CheckVerdict } from '../check/check-verdict.js';
import { fromMillisOrNull, toMillis } from './columns.js';
import type { CheckRunsTable, Database } from './schema.js';

function rowToCheckRun(row: Selectable<CheckRunsTable>): CheckRun {
  return {
    id: row.id,
    partner: row.partner,
    scenarios: JSON.parse(row.scenarios) as string[],
    keyedBy: row.keyed_by === 'amount' ? 'amount' : 'prefix',
    ruleIds: JSON.parse(row.rule_ids) as string[],
    startedAt: new Date(Number(row.started_at)),
    endedAt: fromMillisOrNull(row.ended_at === null ? null : Number(row.ended_at)),
    report: row.report === null ? null : (JSON.parse(row.report) as CheckVerdict[]),
  };
}

/** Inserts a running run; a second running run of the merchant is the dialect's unique violation. */
export async function insertCheckRunRow(db: Kysely<Database>, run: NewCheckRun): Promise<CheckRun> {
  const row: CheckRunsTable = {
    id: run.id,
    partner: run.partner,
    running_partner: run.partner,
    scenarios: JSON.stringify(run.scenarios),
    rule_ids: JSON.stringify(run.ruleIds),
    keyed_by: run.keyedBy,
    started_at: toMillis(run.startedAt),
    ended_at: null,
    report: null,
  };
  await db.insertInto('check_runs').values(row).execute();
  return rowToCheckRun(row);
}

/** One run of one merchant. */
export async function selectCheckRun(
  db: Kysely<Database>,
  partner: string,
  id: string,
): Promise<CheckRun | undefined> {
  const row = await db
    .selectFrom('check_runs')
    .selectAll()
    .where('partner', '=', partner)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && rowToCheckRun(row);
}

/** The merchant's runs, newest first. */
export async function selectCheckRuns(
  db: Kysely<Database>,
  partner: string,
  limit = 20,
): Promise<CheckRun[]> {
  const rows = await db
    .selectFrom('check_runs')
    .selectAll()
    .where('partner', '=', partner)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(limit, 1), 500))
    .execute();
  return rows.map(rowToCheckRun);
}

/** Ends a running run in one conditional statement, so of two enders one wins. */
export async function endCheckRunRow(
  db: Kysely<Database>,
  partner: string,
  id: string,
  endedAt: Date,
  report: CheckVerdict[],
): Promise<CheckRun | undefined> {
  const row = await db
    .updateTable('check_runs')
    .set({ running_partner: null, ended_at: toMillis(endedAt), report: JSON.stringify(report) })
    .where('partner', '=', partner)
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row && rowToCheckRun(row);
}
