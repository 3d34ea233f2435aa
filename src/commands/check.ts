import { writeFile } from 'node:fs/promises';
import { adminTokenFromEnv } from '../config.js';
import type { CheckVerdict } from '../check/check-verdict.js';
import { junitReport } from '../check/junit-report.js';
import { AdminApiError, createAdminApiClient, type AdminApiClient } from './admin-api-client.js';
import type { CommandOutput } from './command-output.js';
import { UsageError } from './usage-error.js';

/** Options shared by `alipay-mock check start|report`, as commander gives them. */
export interface CheckCommandOptions {
  gatewayUrl: string;
  partner: string;
  token?: string;
  /** start: comma-separated scenario ids. */
  scenarios?: string;
  /** start: `prefix` (default) or `amount`. */
  keyedBy?: string;
  /** report: the run (default: the merchant's newest). */
  run?: string;
  /** report: write the JUnit XML report to this file. */
  junit?: string;
  /** report: end the run first (stores the report, disarms the rules). */
  end?: boolean;
}

interface ApiRun {
  id: string;
  status: string;
  report?: CheckVerdict[];
  summary?: { passed: number; failed: number; notExercised: number };
}

function clientFor(opts: CheckCommandOptions): AdminApiClient {
  if (!/^\d{16}$/.test(opts.partner))
    throw new UsageError(`--partner must be a 16-digit PID, got "${opts.partner}"`);
  return createAdminApiClient(opts.gatewayUrl, opts.token ?? adminTokenFromEnv());
}

/** Runs one admin API exchange, printing an API failure instead of throwing it (exit 1). */
async function reported(out: CommandOutput, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof AdminApiError)) throw err;
    out.stderr(`alipay-mock: ${err.message}\n`);
    return 1;
  }
}

interface ApiScenario {
  id: string;
  prefix: string | null;
  amountKey: { field: string; cents: string } | null;
  expected: string;
}

/** What triggers a scenario in a run keyed so: `CHK-SYSERR-`, `trans_amount *.61`, `(every request)`. */
function triggerOf(s: ApiScenario, keyedBy: string): string {
  if (s.prefix === null) return '(every request)';
  if (keyedBy === 'amount' && s.amountKey !== null) return `${s.amountKey.field} *.${s.amountKey.cents}`;
  return s.prefix;
}

/** `alipay-mock check start`: starts a run and prints what triggers each armed scenario. */
export function checkStartCommand(opts: CheckCommandOptions, out: CommandOutput): Promise<number> {
  const client = clientFor(opts);
  const keyedBy = opts.keyedBy ?? 'prefix';
  if (keyedBy !== 'prefix' && keyedBy !== 'amount')
    throw new UsageError(`--keyed-by must be prefix or amount, got "${keyedBy}"`);
  const scenarios = opts.scenarios
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return reported(out, async () => {
    const run = (await client.call('POST', `/api/merchants/${opts.partner}/check-runs`, {
      scenarios,
      keyedBy,
    })) as ApiRun & {
      scenarios: string[];
    };
    const catalogue = (await client.call('GET', '/api/check-scenarios')) as { items: ApiScenario[] };
    out.stdout(`check run ${run.id} started, keyed by ${keyedBy}\n`);
    for (const s of catalogue.items.filter((x) => run.scenarios.includes(x.id))) {
      out.stdout(`  ${s.id.padEnd(26)} ${triggerOf(s, keyedBy).padEnd(20)} ${s.expected}\n`);
    }
    return 0;
  });
}

/** `alipay-mock check report`: prints the verdicts, optionally writes JUnit XML; exit 1 when a scenario failed. */
export function checkReportCommand(opts: CheckCommandOptions, out: CommandOutput): Promise<number> {
  const client = clientFor(opts);
  const runs = `/api/merchants/${opts.partner}/check-runs`;
  return reported(out, async () => {
    let id = opts.run;
    if (id === undefined) {
      const list = (await client.call('GET', runs)) as { items: ApiRun[] };
      id = list.items[0]?.id;
      if (id === undefined)
        throw new UsageError(`merchant ${opts.partner} has no check run; start one first`);
    }
    const run = (await client.call(
      opts.end ? 'POST' : 'GET',
      `${runs}/${id}${opts.end ? '/end' : ''}`,
    )) as ApiRun;
    const report = run.report ?? [];
    for (const v of report) {
      out.stdout(`${v.status.toUpperCase().padEnd(13)} ${v.scenario}\n`);
      for (const f of v.findings) out.stdout(`              ${f}\n`);
    }
    const s = run.summary;
    out.stdout(
      `check run ${run.id} (${run.status}): ${s?.passed ?? 0} passed, ${s?.failed ?? 0} failed, ${s?.notExercised ?? 0} not exercised\n`,
    );
    if (opts.junit !== undefined) await writeFile(opts.junit, junitReport(run.id, report, new Date()));
    return report.some((v) => v.status === 'failed') ? 1 : 0;
  });
}
