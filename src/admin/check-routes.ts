import { z } from 'zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Store } from '../storage/store.js';
import type { RuleEngine } from '../rules/rule-engine.js';
import type { RequestLogWriter } from '../gateway/request-log-writer.js';
import type { Clock } from '../clock.js';
import type { CheckRun } from '../check/check-run-store.js';
import type { CheckVerdict } from '../check/check-verdict.js';
import { CHECK_SCENARIOS } from '../check/check-scenarios.js';
import { amountPattern, CHECK_KEYINGS } from '../check/check-scenario.js';
import { junitReport } from '../check/junit-report.js';
import {
  checkRunReport,
  endCheckRun,
  startCheckRun,
  UnknownScenarioError,
  type CheckRunDeps,
} from '../domain/check-runs.js';
import { StoreConflictError } from '../ports/store-conflict-error.js';
import { Problem } from './problem.js';
import { validateBody } from './validate-body.js';

/** Body of POST /api/merchants/:partner/check-runs: the scenarios to arm (all when left out) and how. */
export const START_CHECK_RUN_SCHEMA = z.strictObject({
  scenarios: z.array(z.string().max(64)).max(50).optional(),
  keyedBy: z.enum(CHECK_KEYINGS).optional(),
});

/** JSON view of a scenario of the catalogue (what a POS's test script needs to trigger it). */
export function scenarioJson(s: (typeof CHECK_SCENARIOS)[number]) {
  return {
    id: s.id,
    title: s.title,
    prefix: s.prefix,
    amountKey:
      s.amountKey === null
        ? null
        : { field: s.amountKey.field, cents: s.amountKey.cents, pattern: amountPattern(s.amountKey) },
    expected: s.expected,
    cites: s.cites,
    sandboxReading: s.sandboxReading,
    timeLimitSeconds: s.timeLimitSeconds,
    armed: s.setup,
  };
}

const counts = (report: CheckVerdict[]) => ({
  passed: report.filter((v) => v.status === 'passed').length,
  failed: report.filter((v) => v.status === 'failed').length,
  notExercised: report.filter((v) => v.status === 'not_exercised').length,
});

/** JSON view of a run; with its report when given. */
export function checkRunJson(run: CheckRun, report?: CheckVerdict[]) {
  return {
    id: run.id,
    partner: run.partner,
    status: run.endedAt === null ? 'running' : 'ended',
    scenarios: run.scenarios,
    keyedBy: run.keyedBy,
    startedAt: run.startedAt.toISOString(),
    endedAt: run.endedAt?.toISOString() ?? null,
    ...(report === undefined ? {} : { summary: counts(report), report }),
  };
}

type RunParams = { Params: { partner: string; id: string } };

/** /api/check-scenarios and /api/merchants/:partner/check-runs: the integration check (docs/integration-check.md). */
export function checkRoutes(
  app: FastifyInstance,
  store: Store,
  engine: RuleEngine,
  writer: RequestLogWriter,
  clock: Clock,
): void {
  // The request log stamps receivedAt with the wall clock (not the sandbox clock): a run's window must too.
  const deps: CheckRunDeps = { store, engine, now: () => new Date() };
  async function mustGetRun(partner: string, id: string): Promise<CheckRun> {
    const run = await store.getCheckRun(partner, id);
    if (run === undefined) throw new Problem('not_found', `merchant ${partner} has no check run ${id}`);
    return run;
  }
  async function reportOf(partner: string, id: string): Promise<{ run: CheckRun; report: CheckVerdict[] }> {
    // The log is written in batches: what the POS just sent must be in it before it is judged.
    await writer.flush();
    const run = await mustGetRun(partner, id);
    return { run, report: await checkRunReport(deps, run) };
  }

  app.get('/api/check-scenarios', () => ({ items: CHECK_SCENARIOS.map(scenarioJson) }));

  app.get<{ Params: { partner: string } }>('/api/merchants/:partner/check-runs', async (req) => ({
    items: (await store.listCheckRuns(req.params.partner)).map((r) => checkRunJson(r)),
  }));

  app.post<{ Params: { partner: string } }>('/api/merchants/:partner/check-runs', async (req, reply) => {
    const { partner } = req.params;
    const body = validateBody(START_CHECK_RUN_SCHEMA, req.body);
    if (!(await store.getMerchant(partner)))
      throw new Problem('not_found', `merchant ${partner} does not exist`);
    try {
      const run = await startCheckRun(deps, partner, body.scenarios, body.keyedBy);
      return reply.code(201).send(checkRunJson(run));
    } catch (err) {
      if (err instanceof UnknownScenarioError) {
        throw new Problem('invalid_request', err.message, [{ field: 'scenarios', message: err.message }]);
      }
      if (err instanceof StoreConflictError) {
        throw new Problem('conflict', `merchant ${partner} already has a running check run: end it first`);
      }
      throw err;
    }
  });

  app.get<RunParams>('/api/merchants/:partner/check-runs/:id', async (req) => {
    const { run, report } = await reportOf(req.params.partner, req.params.id);
    return checkRunJson(run, report);
  });

  app.get<RunParams>('/api/merchants/:partner/check-runs/:id/junit', async (req, reply: FastifyReply) => {
    const { run, report } = await reportOf(req.params.partner, req.params.id);
    return reply.type('application/xml; charset=utf-8').send(junitReport(run.id, report, clock.now()));
  });

  app.post<RunParams>('/api/merchants/:partner/check-runs/:id/end', async (req) => {
    await writer.flush();
    const run = await mustGetRun(req.params.partner, req.params.id);
    const ended = await endCheckRun(deps, run);
    if (ended === undefined) throw new Problem('conflict', `check run ${run.id} has already ended`);
    return checkRunJson(ended, ended.report ?? []);
  });
}
