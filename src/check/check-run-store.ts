import type { CheckKeying } from './check-scenario.js';
import type { CheckVerdict } from './check-verdict.js';

/** A check run: the scenarios armed for one merchant from its start to its end, and the report it ended with. */
export interface CheckRun {
  id: string;
  partner: string;
  /** Ids of the scenarios armed (CHECK_SCENARIOS). */
  scenarios: string[];
  /** How its scenarios are armed and found: by trade id prefix, or by amount (docs/integration-check.md). */
  keyedBy: CheckKeying;
  /** Ids of the custom rules armed for the run; deleted when it ends. */
  ruleIds: string[];
  /** Process time; the run covers the merchant's requests received from then on. */
  startedAt: Date;
  /** Process time of the end; null while the run lasts. */
  endedAt: Date | null;
  /** The verdicts as of the end; null while the run lasts (its report is then computed on demand). */
  report: CheckVerdict[] | null;
}

/** A check run as started. */
export type NewCheckRun = Pick<
  CheckRun,
  'id' | 'partner' | 'scenarios' | 'keyedBy' | 'ruleIds' | 'startedAt'
>;

/** Where check runs are kept, shared by every instance. */
export interface CheckRunStore {
  /**
   * Stores a running run.
   * @throws StoreConflictError when the merchant already has a running run, or the id exists
   */
  insertCheckRun(run: NewCheckRun): Promise<CheckRun>;
  getCheckRun(partner: string, id: string): Promise<CheckRun | undefined>;
  /** The merchant's runs, newest first (at most `limit`, default 20). */
  listCheckRuns(partner: string, limit?: number): Promise<CheckRun[]>;
  /** Ends a running run with its report; undefined when there is no such running run (atomic: one ender wins). */
  endCheckRun(
    partner: string,
    id: string,
    endedAt: Date,
    report: CheckVerdict[],
  ): Promise<CheckRun | undefined>;
}
