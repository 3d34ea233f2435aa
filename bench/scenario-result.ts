import type { LogLag } from './log-lag.js';
import type { WrkResult } from './run-wrk.js';
import type { Scenario } from './scenarios.js';

/** One scenario of one round, with what it measured. */
export interface ScenarioResult {
  scenario: Scenario;
  /** Requests per second of the measured window. */
  rps: number;
  wrk: WrkResult;
  /** Wrong answers and socket errors, and repeats of a scenario whose requests must be new. */
  errors: number;
  /** Server CPU time (all its processes and threads, /proc) per answered request, in microseconds. */
  serverCpuMicrosPerRequest: number;
  /** How long the SQLite request log's entries took to become visible (log-lag.ts); absent for other servers. */
  logLag?: LogLag | undefined;
  /**
   * The share of the server's core that other processes used during the measured window (otherShare in
   * proc-stat.ts); absent where the servers are not pinned to one core.
   */
  otherOnServerCore?: number | undefined;
  /** The host's 1-minute load average at the start and at the end of the measured window. */
  load: [number, number];
}
