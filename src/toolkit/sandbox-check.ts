import type { CheckRun } from '../check/check-run-store.js';
import type { CheckKeying } from '../check/check-scenario.js';
import type { CheckVerdict } from '../check/check-verdict.js';
import { junitReport } from '../check/junit-report.js';
import { checkRunReport, endCheckRun, startCheckRun, type CheckRunDeps } from '../domain/check-runs.js';
import type { RequestLogWriter } from '../gateway/request-log-writer.js';
import type { RuleEngine } from '../rules/rule-engine.js';
import type { Store } from '../storage/store.js';

/** The integration check of the sandbox's merchant (docs/integration-check.md). */
export interface SandboxCheck {
  /**
   * Starts a run arming these scenarios (default all), keyed by prefix (default) or by amount; rejects
   * while another run of the merchant runs.
   */
  start(scenarios?: string[], options?: { keyedBy?: CheckKeying }): Promise<CheckRun>;
  /** The verdicts of a run (default: the newest): judged now while it runs, as stored once it ended. */
  report(runId?: string): Promise<CheckVerdict[]>;
  /** The report as JUnit XML. */
  junit(runId?: string): Promise<string>;
  /** Ends a run (default: the newest): stores its report, disarms its rules; returns the report. */
  end(runId?: string): Promise<CheckVerdict[]>;
}

/** The check tools of startSandbox(), bound to its merchant. */
export function sandboxCheck(
  store: Store,
  engine: RuleEngine,
  writer: RequestLogWriter,
  partner: string,
): SandboxCheck {
  // The request log stamps receivedAt with the wall clock: a run's window uses it too.
  const deps: CheckRunDeps = { store, engine, now: () => new Date() };
  async function runOf(id: string | undefined): Promise<CheckRun> {
    // What the POS just sent must be in the log before it is judged.
    await writer.flush();
    const run =
      id === undefined ? (await store.listCheckRuns(partner, 1))[0] : await store.getCheckRun(partner, id);
    if (run === undefined)
      throw new Error(id === undefined ? 'no check run: call check.start() first' : `no check run ${id}`);
    return run;
  }
  return {
    start: (scenarios, options) => startCheckRun(deps, partner, scenarios, options?.keyedBy),
    report: async (id) => checkRunReport(deps, await runOf(id)),
    junit: async (id) => {
      const run = await runOf(id);
      return junitReport(run.id, await checkRunReport(deps, run), new Date());
    },
    async end(id) {
      const run = await runOf(id);
      const ended = await endCheckRun(deps, run);
      if (ended === undefined) throw new Error(`check run ${run.id} has already ended`);
      return ended.report ?? [];
    },
  };
}
