import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMetricsRegistry } from '../../src/ops/metrics-registry.js';
import { serializeError } from '../../src/ops/log-safety.js';

describe('metrics registry', () => {
  it('renders counters, cumulative histogram buckets and gauges in the text format', () => {
    const registry = createMetricsRegistry();
    const c = registry.counter('x_total', 'Some count.', ['kind']);
    c.inc({ kind: 'a' });
    c.inc({ kind: 'a' }, 2);
    c.inc({ kind: 'say "hi"\n' });
    const h = registry.histogram('d_seconds', 'Durations.', [], [0.1, 1]);
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    registry.gauge('g', 'A gauge.', () => [[{ pool: 'main' }, 3]]);
    assert.equal(
      registry.render(),
      [
        '# HELP x_total Some count.',
        '# TYPE x_total counter',
        'x_total{kind="a"} 3',
        'x_total{kind="say \\"hi\\"\\n"} 1',
        '# HELP d_seconds Durations.',
        '# TYPE d_seconds histogram',
        'd_seconds_bucket{le="0.1"} 1',
        'd_seconds_bucket{le="1"} 2',
        'd_seconds_bucket{le="+Inf"} 3',
        'd_seconds_sum 5.55',
        'd_seconds_count 3',
        '# HELP g A gauge.',
        '# TYPE g gauge',
        'g{pool="main"} 3',
        '',
      ].join('\n'),
    );
  });
});

describe('error serializer of the log', () => {
  it('drops the fields in which PostgreSQL echoes row data', () => {
    const err = Object.assign(new Error('null value in column "name" violates not-null constraint'), {
      code: '23502',
      detail: 'Failing row contains (2088000000000001, null, secretmd5key).',
      cause: Object.assign(new Error('inner'), { detail: 'secretmd5key' }),
    });
    const logged = JSON.stringify(serializeError(err));
    assert.doesNotMatch(logged, /secretmd5key/);
    assert.match(logged, /23502/);
    assert.match(logged, /not-null constraint/);
  });
});
