// How many statements the gateway sends PostgreSQL for one request: each is a round trip on the
// request's path (docs/performance-history.md, "PostgreSQL round trips"). Counted on the wire, not timed:
// node-postgres' Client.prototype.query is wrapped, and a statement counts when it was sent on behalf
// of the request being measured (AsyncLocalStorage follows the request's handler through every await),
// so the notification worker's polling and the change feed's LISTEN do not. The request log's batch
// insert is the log's own work, shared by every request of its batch, and is left out.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomInt } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { aBuyer } from '../helpers/store-builders.js';
import * as stores from '../helpers/store-matrix.js';

const PAY = 'alipay.acquire.overseas.spot.pay';

/** The statements sent on behalf of the request in progress, when one is being measured. */
const measured = new AsyncLocalStorage<string[]>();

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
type Query = (this: pg.Client, ...args: unknown[]) => unknown;

/**
 * Handles every HTTP request in the context of the list `active()` gives at its start (none: not
 * measured), and adds to that list each statement any pg client sends in that context. Returns the undo.
 */
function traceRequests(active: () => string[] | undefined): () => void {
  const server = http.Server.prototype;
  const client = pg.Client.prototype;
  const emit = Reflect.get(server, 'emit') as Emit;
  const query = Reflect.get(client, 'query') as Query;
  const tracedEmit: Emit = function (event, ...args) {
    const sent = event === 'request' ? active() : undefined;
    if (sent === undefined) return emit.call(this, event, ...args);
    return measured.run(sent, () => emit.call(this, event, ...args));
  };
  const tracedQuery: Query = function (...args) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | null)?.text;
    if (text !== undefined && !/\brequest_log\b/.test(text)) measured.getStore()?.push(text);
    return query.apply(this, args);
  };
  const ownEmit = Object.hasOwn(server, 'emit');
  Reflect.set(server, 'emit', tracedEmit);
  Reflect.set(client, 'query', tracedQuery);
  return () => {
    // An inherited emit (EventEmitter's) is not copied onto the prototype.
    if (ownEmit) Reflect.set(server, 'emit', emit);
    else Reflect.deleteProperty(server, 'emit');
    Reflect.set(client, 'query', query);
  };
}

describe('PostgreSQL round trips of one gateway request', { skip: stores.postgresSkipReason() }, () => {
  const schema = stores.freshSchemaName();
  let app: TestApp;
  let sent: string[] | undefined;
  let untrace: () => void = () => undefined;

  before(async () => {
    untrace = traceRequests(() => sent);
    app = await startTestApp({ db: stores.TEST_PG_URL, dbSchema: schema, dbPoolSize: '3' });
    // The first requests of a process load the rule cache and read the merchant until the change feed
    // listens (then merchants are cached): not the steady state.
    for (let i = 0; i < 20; i++) {
      const { statements } = await statementsOf(aPay());
      if (!statements.some((s) => s.includes('from "merchants"'))) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  after(async () => {
    untrace();
    await app?.close();
    await stores.dropSchema(schema);
  });

  /** The statements one gateway call sent, and its answer. */
  async function statementsOf(params: Record<string, string>) {
    const statements: string[] = [];
    sent = statements;
    try {
      const answer = await callGateway(app.url, PAY, params);
      // Anything the request still sends after its answer counts too.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { answer: answer.envelope.response, statements: [...statements] };
    } finally {
      sent = undefined;
    }
  }

  /** Asserts the count, listing the statements when it is wrong. */
  function assertRoundTrips(statements: readonly string[], expected: number): void {
    assert.equal(statements.length, expected, `${statements.length} round trips:\n${statements.join('\n')}`);
  }

  it('a spot pay of a new trade takes 1 (at most 3): one call of pay_new_trades, its own transaction', async () => {
    const { answer, statements } = await statementsOf(aPay());
    assert.equal(answer['result_code'], 'SUCCESS');
    assert.ok(statements.length <= 3, `${statements.length} round trips:\n${statements.join('\n')}`);
    assertRoundTrips(statements, 1);
  });

  it('a replay of a paid trade takes 1: the same call finds the trade', async () => {
    const pay = aPay();
    const first = await statementsOf(pay);
    const replay = await statementsOf(pay);
    assert.equal(replay.answer['alipay_trans_id'], first.answer['alipay_trans_id']);
    assertRoundTrips(replay.statements, 1);
  });

  it('a spot pay with a notify_url takes 5: BEGIN, the pay, the notification (2), COMMIT', async () => {
    const { answer, statements } = await statementsOf(aPay({ notify_url: 'http://127.0.0.1:9/notify' }));
    assert.equal(answer['result_code'], 'SUCCESS');
    assertRoundTrips(statements, 5);
  });

  it('a spot pay refused for the balance takes 1: the function looks for a concurrent twin itself', async () => {
    const paymentCode = `28${String(randomInt(10 ** 8)).padStart(8, '0')}${String(randomInt(10 ** 8)).padStart(8, '0')}`;
    await app.store.createBuyer(aBuyer({ paymentCode, balances: { USD: 1_00 } }));
    const { answer, statements } = await statementsOf(aPay({ buyer_identity_code: paymentCode }));
    assert.equal(answer['error'], 'BUYER_BALANCE_NOT_ENOUGH');
    assertRoundTrips(statements, 1);
  });
});
