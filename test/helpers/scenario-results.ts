import type { ScenarioResult } from '../../bench/scenario-result.js';
import { SCENARIOS } from '../../bench/scenarios.js';

/**
 * A bench result of scenario `id` that answered `requests` in one second (wrk busy `wrkCpu` of its CPU,
 * 100 µs of server CPU a request), with `more` on top: what the bench's table is fed (test/bench/).
 */
export function scenarioResult(
  id: string,
  requests: number,
  wrkCpu = 0.5,
  more: Partial<ScenarioResult> = {},
): ScenarioResult {
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (scenario === undefined) throw new Error(`no scenario ${id}`);
  return {
    scenario,
    rps: requests,
    wrk: { requests, seconds: 1, p50Ms: 1, p99Ms: 2, errors: 0, wrapped: 0, wrkCpuSeconds: wrkCpu },
    errors: 0,
    serverCpuMicrosPerRequest: 100,
    load: [1.5, 2.5],
    ...more,
  };
}
