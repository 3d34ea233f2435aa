import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { REQUEST_LOG_COLUMNS } from './request-log-queries.js';
import type { RequestJournal } from './request-journal.js';
import { RowBufferWriter, type RowValue } from './row-buffer.js';

/** Rows a record of the import holds at most: the size of the gateway's own batches. */
const IMPORT_BATCH = 1_000;

/**
 * Moves the entries of a request log that an earlier version kept in a SQLite file (`<store>-requests`)
 * into the journal, with their ids, and removes the file. The file is renamed first, so that of two
 * processes starting together one imports it; a process stopped halfway finds the renamed file at
 * its next start and goes on after the newest id the journal has.
 */
export function importLegacyRequestLog(file: string, journal: RequestJournal): void {
  const importing = `${file}.importing`;
  if (statSync(file, { throwIfNoEntry: false })?.isFile() === true) {
    // Closing the last connection copies the -wal file into the database and removes it.
    const db = new Database(file, { fileMustExist: true });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    try {
      renameSync(file, importing);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT') throw err;
    }
    rmSync(`${file}-shm`, { force: true });
    rmSync(`${file}-wal`, { force: true });
  }
  if (!existsSync(importing)) return;
  const db = new Database(importing, { fileMustExist: true });
  const hasLog = db
    .prepare("select 1 from sqlite_master where type = 'table' and name = 'request_log'")
    .get();
  if (hasLog !== undefined) {
    const rows = db.prepare('select * from request_log where id > ? order by id').iterate(journal.newestId());
    let batch = new RowBufferWriter();
    let firstId = 0;
    let nextId = 0;
    const flush = (): void => {
      if (batch.rows === 0) return;
      const { memory, length, rows: count } = batch.written();
      journal.append({ bytes: new Uint8Array(memory, 0, length), count }, undefined, firstId);
      batch = new RowBufferWriter(batch.release());
    };
    for (const row of rows as Iterable<Record<string, RowValue | undefined>>) {
      const id = row.id as number;
      // A record's ids follow each other: a gap (a pruned or deleted entry) starts the next one.
      if (id !== nextId || batch.rows >= IMPORT_BATCH) {
        flush();
        firstId = id;
      }
      batch.add(REQUEST_LOG_COLUMNS.map((column) => row[column] ?? null));
      nextId = id + 1;
    }
    flush();
  }
  db.close();
  rmSync(importing, { force: true });
  rmSync(`${importing}-shm`, { force: true });
  rmSync(`${importing}-wal`, { force: true });
}
