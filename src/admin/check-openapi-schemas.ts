import { z } from 'zod';
import { CHECK_STATUSES } from '../check/check-verdict.js';
import { START_CHECK_RUN_SCHEMA } from './check-routes.js';

const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };
const strings = { type: 'array', items: str };
const time = { type: 'string', format: 'date-time' };

const object = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
});

const evidence = object({
  requestId: { type: 'integer' },
  receivedAt: time,
  sandboxAt: { type: ['string', 'null'], format: 'date-time' },
  service: nullableStr,
  partnerTransId: nullableStr,
  partnerRefundId: nullableStr,
  outcome: str,
  signatureOk: { type: ['boolean', 'null'] },
  apiLink: str,
  consoleLink: str,
});

const verdict = object({
  scenario: str,
  title: str,
  status: { enum: [...CHECK_STATUSES] },
  findings: strings,
  expected: str,
  cites: strings,
  sandboxReading: nullableStr,
  flaggedRequestIds: { type: 'array', items: { type: 'integer' } },
  evidence: { type: 'array', items: evidence },
});

/** The integration check's named schemas (components.schemas of the OpenAPI document). */
export const CHECK_COMPONENT_SCHEMAS: Record<string, Record<string, unknown>> = {
  NewCheckRun: (({ $schema: _d, ...rest }) => rest)(z.toJSONSchema(START_CHECK_RUN_SCHEMA, { io: 'input' })),
  CheckScenario: object({
    id: str,
    title: str,
    prefix: nullableStr,
    amountKey: {
      type: ['object', 'null'],
      description: 'the amounts that trigger it in a run keyed by amount; null: it keeps its prefix',
      properties: {
        field: { enum: ['trans_amount', 'refund_amount'] },
        cents: str,
        pattern: str,
      },
    },
    expected: str,
    cites: strings,
    sandboxReading: nullableStr,
    timeLimitSeconds: { type: 'integer' },
    armed: { type: 'array', items: { type: 'object' } },
  }),
  CheckRun: {
    type: 'object',
    description: 'a run; `summary` and `report` (one verdict per scenario) when read one at a time',
    properties: {
      id: str,
      partner: str,
      status: { enum: ['running', 'ended'] },
      scenarios: strings,
      keyedBy: { enum: ['prefix', 'amount'] },
      startedAt: time,
      endedAt: { type: ['string', 'null'], format: 'date-time' },
      summary: object({
        passed: { type: 'integer' },
        failed: { type: 'integer' },
        notExercised: { type: 'integer' },
      }),
      report: { type: 'array', items: verdict },
    },
    required: ['id', 'partner', 'status', 'scenarios', 'keyedBy', 'startedAt', 'endedAt'],
  },
};
