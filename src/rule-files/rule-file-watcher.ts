import { watch, type FSWatcher, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { RuleStore } from '../rules/rule-store.js';
import { formatRuleFileIssue, parseRuleFile } from './rule-file.js';
import { syncFileRules, type FileRuleSyncReport } from './rule-file-sync.js';

/** The logger calls the watcher makes (pino's and Fastify's loggers fit). */
export interface RuleFileLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Options of the watcher: the file, where its rules go, and whom to tell. */
export interface RuleFileWatcherOptions {
  file: string;
  store: RuleStore & Pick<LedgerStore, 'getMerchant'>;
  log: RuleFileLog;
  /** Called after the store's rules changed (the rule engine forgets its cache). */
  onChange: () => void;
  /** Quiet time after a change event before reading: editors write in several steps. Default 100 ms. */
  debounceMs?: number;
  /** The file is also checked this often, for file systems without change events. Default 1000 ms. */
  pollMs?: number;
}

/** A running watcher of one rule file. */
export interface RuleFileWatcher {
  /** The absolute path watched. */
  readonly file: string;
  /** Reads the file now (when it changed) and applies it if it is valid. */
  check(): Promise<void>;
  /** Stops watching and waits for a load in progress. */
  close(): Promise<void>;
}

/** The rule file given at start is unreadable or invalid: the server must not start. */
export class RuleFileError extends Error {
  override readonly name = 'RuleFileError';
}

/** A log-sized view of a load: counts, and the ids that changed (the first 20). */
function summary(report: FileRuleSyncReport, rules: number) {
  const { created, updated, deleted, unchanged } = report;
  return {
    rules,
    created: created.length,
    updated: updated.length,
    deleted: deleted.length,
    unchanged,
    changed: [...created, ...updated, ...deleted].slice(0, 20),
  };
}

function statKey(s: { mtimeMs: number; size: number; ino: number }): string {
  return `${s.mtimeMs}:${s.size}:${s.ino}`;
}

/**
 * Loads the rule file into the store (an invalid file throws RuleFileError with every problem on its
 * own line), then watches it: a valid change replaces the file's rules without a restart; an invalid
 * or unreadable one is logged and the previous rules stay.
 */
export async function startRuleFileWatcher(opts: RuleFileWatcherOptions): Promise<RuleFileWatcher> {
  const file = resolve(opts.file);
  const { store, log } = opts;
  let text: string;
  let firstStat: Stats;
  try {
    // Stat first: a save after the read then shows as a change to the first poll.
    firstStat = await stat(file);
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new RuleFileError(`cannot read rule file ${opts.file}: ${(err as Error).message}`);
  }
  const first = parseRuleFile(text);
  if (!first.ok) {
    const lines = first.issues.map((i) => formatRuleFileIssue(opts.file, i));
    throw new RuleFileError(`rule file ${opts.file} is invalid:\n${lines.join('\n')}`);
  }
  const loaded = await syncFileRules(store, first.rules);
  opts.onChange();
  log.info({ file, ...summary(loaded, first.rules.length) }, 'rule file loaded');
  if (loaded.unknownPartners.length > 0)
    log.warn({ file, partners: loaded.unknownPartners }, 'rule file names partners that are no merchant');

  /** The text last read, valid or not: the same text is never applied or reported twice. */
  let seen: string | undefined = text;
  let seenStat = statKey(firstStat);
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  let unreadable = false;
  let retry = false;

  async function load(): Promise<void> {
    let current: string;
    try {
      current = await readFile(file, 'utf8');
    } catch (err) {
      // Editors that save by rename leave the file missing for a moment; the next event retries.
      if (!unreadable)
        log.warn({ file, err: (err as Error).message }, 'rule file unreadable; keeping the rules');
      unreadable = true;
      return;
    }
    unreadable = false;
    retry = false;
    if (current === seen || closed) return;
    seen = current;
    const parsed = parseRuleFile(current);
    if (!parsed.ok) {
      const errors = parsed.issues.map((i) => formatRuleFileIssue(opts.file, i));
      log.error({ file, errors }, `rule file rejected, keeping the previous rules:\n${errors.join('\n')}`);
      return;
    }
    try {
      const report = await syncFileRules(store, parsed.rules);
      opts.onChange();
      log.info({ file, ...summary(report, parsed.rules.length) }, 'rule file reloaded');
    } catch (err) {
      seen = undefined; // not applied: the next poll tries again
      retry = true;
      log.error({ file, err }, 'rule file reload failed');
    }
  }

  function check(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = load().finally(() => {
      running = undefined;
      if (again && !closed) {
        again = false;
        void check();
      }
    });
    return running;
  }

  let debounce: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void check(), opts.debounceMs ?? 100);
  };

  let watcher: FSWatcher | undefined;
  try {
    // The directory, not the file: editors replace the file (a new inode) and a file watch would go blind.
    watcher = watch(dirname(file), (_event, name) => {
      if (name === null || name === basename(file)) changed();
    });
    watcher.on('error', (err) => {
      log.warn({ file, err: err.message }, 'rule file watch failed; checking it periodically');
      watcher?.close();
    });
  } catch (err) {
    log.warn({ file, err: (err as Error).message }, 'cannot watch the rule file; checking it periodically');
  }

  const poll = setInterval(() => {
    stat(file).then(
      (s) => {
        const key = statKey(s);
        if (key !== seenStat || retry) {
          seenStat = key;
          void check();
        }
      },
      () => changed(),
    );
  }, opts.pollMs ?? 1000);
  poll.unref();

  return {
    file,
    check,
    async close() {
      closed = true;
      clearInterval(poll);
      clearTimeout(debounce);
      watcher?.close();
      await running;
    },
  };
}
