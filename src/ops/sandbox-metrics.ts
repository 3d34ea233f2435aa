import { memoryUsage } from 'node:process';
import type { GatewayOutcome } from '../gateway/gateway-outcome.js';
import { SERVICE_REGISTRY } from '../gateway/service-registry.js';
import { NOTIFY_VERIFY_SERVICE } from '../protocol/constants.js';
import { GATEWAY_ERROR_CODES } from '../protocol/gateway-errors.js';
import { DEFAULT_RULES } from '../rules/default-rules.js';
import { createMetricsRegistry, type MetricsRegistry } from './metrics-registry.js';

/** Where a store error was met (the `where` label of alipay_mock_store_errors_total). */
export type StoreErrorSite = 'gateway' | 'request_log' | 'readiness';

/** What the sandbox counts for /metrics (docs/deployment.md lists the series). */
export interface SandboxMetrics {
  registry: MetricsRegistry;
  /** One gateway request's outcome: count, latency, the rule that answered. */
  observeGateway(outcome: GatewayOutcome): void;
  storeError(where: StoreErrorSite): void;
}

// Every label value comes from a fixed list, so the number of series stays bounded whatever clients
// send: unknown services, custom rule ids and unexpected codes collapse into one value each.
const SERVICES: ReadonlySet<string> = new Set([...SERVICE_REGISTRY.keys(), NOTIFY_VERIFY_SERVICE]);
const DEFAULT_RULE_IDS: ReadonlySet<string> = new Set(DEFAULT_RULES.map((r) => r.id));
const GATEWAY_ERRORS: ReadonlySet<string> = new Set(GATEWAY_ERROR_CODES);
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function serviceLabel(service: string | undefined): string {
  return service !== undefined && SERVICES.has(service) ? service : 'other';
}

/** success, failed (a business error), unknown (result UNKNOWN), gateway_error, fault (transport fault), other. */
export function outcomeClass(o: GatewayOutcome): string {
  if (o.transport) return 'fault';
  if (o.gatewayError) return 'gateway_error';
  if (o.businessError) return 'failed';
  if (o.resultCode === 'UNKNOWN') return 'unknown';
  // notify_verify answers plain `true` / `false`.
  if (o.resultCode === 'SUCCESS' || o.resultCode === 'true') return 'success';
  return o.resultCode === 'false' ? 'failed' : 'other';
}

/** The metric set of one sandbox process, with process gauges (RSS, heap, CPU). */
export function createSandboxMetrics(inFlight: () => number, payBatchesSplit: () => number): SandboxMetrics {
  const registry = createMetricsRegistry();
  const requests = registry.counter(
    'alipay_mock_gateway_requests_total',
    'Gateway requests by service and outcome (success, failed, unknown, gateway_error, fault, other).',
    ['service', 'outcome'],
  );
  const gatewayErrors = registry.counter(
    'alipay_mock_gateway_errors_total',
    'Gateway-level refusals (is_success=F) by error code.',
    ['code'],
  );
  const ruleHits = registry.counter(
    'alipay_mock_rule_hits_total',
    'Requests answered by a mock rule: the default rule id, or "custom" for any custom rule.',
    ['rule'],
  );
  const latency = registry.histogram(
    'alipay_mock_gateway_request_duration_seconds',
    'Time from the request body read to the answer rendered, rule delays included.',
    ['service'],
    LATENCY_BUCKETS,
  );
  const storeErrors = registry.counter(
    'alipay_mock_store_errors_total',
    'Failed store operations by where they happened (gateway, request_log, readiness).',
    ['where'],
  );
  registry.counterFrom(
    'alipay_mock_pay_batches_split_total',
    'Batches of spot pays the database refused whole; their pays ran again one at a time.',
    payBatchesSplit,
  );
  registry.gauge(
    'alipay_mock_http_requests_in_flight',
    'HTTP requests received and not yet answered.',
    inFlight,
  );
  registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => memoryUsage.rss());
  registry.gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.', () => memoryUsage().heapUsed);
  registry.counterFrom('process_cpu_seconds_total', 'User and system CPU time spent, in seconds.', () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  });
  const startedAt = Math.round(Date.now() / 1000 - process.uptime());
  registry.gauge(
    'process_start_time_seconds',
    'Start time of the process, in Unix seconds.',
    () => startedAt,
  );

  return {
    registry,
    observeGateway(o) {
      const service = serviceLabel(o.service);
      requests.inc({ service, outcome: outcomeClass(o) });
      if (o.gatewayError)
        gatewayErrors.inc({ code: GATEWAY_ERRORS.has(o.gatewayError) ? o.gatewayError : 'other' });
      if (o.ruleId !== undefined)
        ruleHits.inc({ rule: DEFAULT_RULE_IDS.has(o.ruleId) ? o.ruleId : 'custom' });
      latency.observe(o.durationMs / 1000, { service });
    },
    storeError(where) {
      storeErrors.inc({ where });
    },
  };
}
