import type { RateTable } from './ledger/rates.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Clock } from './clock.js';
import type { Store } from './storage/store.js';
import { createGatewayHandler, isGatewayRequest } from './gateway/gateway-handler.js';
import type { GatewayDeps } from './gateway/handle-gateway-request.js';
import type { AlipayKeys } from './protocol/alipay-keys.js';
import { renderErrorEnvelope } from './protocol/envelope.js';
import { adminApi } from './admin/admin-api.js';
import { consolePlugin } from './console/console-plugin.js';
import { walletPagePlugin } from './console/wallet-page-plugin.js';
import { createRuleEngine } from './rules/rule-engine.js';
import { startRuleFileWatcher } from './rule-files/rule-file-watcher.js';
import { createRequestLogWriter } from './gateway/request-log-writer.js';
import { createHeldConnections } from './gateway/held-connections.js';
import { createNotificationQueue, type NotificationQueue } from './notify/notification-queue.js';
import { createNotificationWorker, type NotificationWorker } from './notify/notification-worker.js';
import { parseNotifyAllow } from './notify/notify-allow.js';
import { createNotifyVerifier } from './notify/notify-verify.js';
import type { RuleEngine } from './rules/rule-engine.js';
import type { RequestLogWriter } from './gateway/request-log-writer.js';
import type { LedgerPolicy } from './ledger/trade-lifecycle.js';
import { trackInFlight, type InFlightTracker } from './ops/in-flight.js';
import { createRequestIdGenerator, LOG_REDACT_PATHS, serializeError } from './ops/log-safety.js';
import { lazyChildLoggerFactory } from './ops/lazy-child-logger.js';
import { requestOrigin, type TrustProxy } from './ops/request-origin.js';
import { opsRoutes } from './ops/ops-routes.js';
import { createSandboxMetrics, type SandboxMetrics } from './ops/sandbox-metrics.js';

/** What the application is built from; everything stateful is passed in. */
export interface AppDeps {
  store: Store;
  config: Config;
  clock: Clock;
  alipayKeys: AlipayKeys;
  /** Where the JSON log lines go (default: stdout); `serve` sends them to stderr, apart from its banner. */
  logStream?: { write(line: string): void } | undefined;
}

/** The parts of a built app that in-process tools (startSandbox) drive directly. */
export interface AppParts {
  rules: RuleEngine;
  requestLog: RequestLogWriter;
  notifications: NotificationQueue;
  notifier: NotificationWorker;
  policy: LedgerPolicy;
  /** The sandbox's rate table (--rates): trades the wallet creates record their rates from it. */
  rates: RateTable;
  alipayKeys: AlipayKeys;
  /** Requests being answered; a graceful shutdown drains it (start-server.ts). */
  inFlight: InFlightTracker;
  metrics: SandboxMetrics;
}

/** A built app and the parts in-process tools drive. */
export interface BuiltApp {
  app: FastifyInstance;
  parts: AppParts;
}

/** Most parameters a gateway request may carry; real requests have about twenty. */
const MAX_PARAMS = 500;

/**
 * A raw HTTP answer for requests Node rejects before any route runs (oversize URL, broken HTTP):
 * still the protocol's envelope, never an empty or HTML reply.
 */
function clientErrorReply(): string {
  const body = Buffer.from(renderErrorEnvelope('ILLEGAL_ARGUMENT'), 'latin1');
  return (
    'HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=GBK\r\nConnection: close\r\n' +
    `Content-Length: ${body.length}\r\n\r\n${body.toString('latin1')}`
  );
}

/** --trust-proxy as the function Fastify and the gateway both read X-Forwarded-* with. */
function trustProxyFunction(setting: Config['trustProxy']): TrustProxy {
  if (typeof setting === 'boolean') return () => setting;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile([...setting]);
}

/** Builds the HTTP application: gateway, admin API, health. Not listening yet. */
export async function createApp(deps: AppDeps): Promise<BuiltApp> {
  const { config, store, clock } = deps;
  const trustProxy = trustProxyFunction(config.trustProxy);
  const requestId = createRequestIdGenerator();
  // The gateway is answered ahead of Fastify's router (gateway-handler.ts); it is made below, once
  // its dependencies exist, and before the server listens.
  const gateway: { handle?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Merchant keys and admin tokens travel in headers and bodies; never log them.
      redact: [...LOG_REDACT_PATHS],
      serializers: { err: serializeError },
      ...(deps.logStream === undefined ? {} : { stream: deps.logStream }),
    },
    genReqId: requestId,
    childLoggerFactory: lazyChildLoggerFactory,
    bodyLimit: config.bodyLimit,
    // X-Forwarded-For/-Proto/-Host of these proxies give req.ip and req.protocol (a Secure console cookie).
    trustProxy,
    serverFactory: (handler) => {
      const server = createServer({ maxHeaderSize: config.bodyLimit + 16 * 1024 }, (req, res) => {
        if (gateway.handle !== undefined && isGatewayRequest(req.url)) gateway.handle(req, res);
        else handler(req, res);
      });
      // A client that half-closes after its request still wants the answer (RFC 9112 §9.6); by
      // default Node ends such a connection at once, losing every answer not ready in that turn
      // (a delay rule, PostgreSQL, an answer sent at the turn's end). Undocumented, but Node's
      // own switch for this since 0.x, and kept when its removal was proposed (nodejs/node#36819).
      (server as typeof server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
      return server;
    },
    clientErrorHandler: (err, socket) => {
      if (socket.writable) socket.end(clientErrorReply());
      else socket.destroy(err);
    },
    // Every gateway request is already in the request log; per-request access lines would double it.
    logController: new LogController({ disableRequestLogging: true }),
    // Hung connections (fault rules) must not keep close() waiting.
    forceCloseConnections: true,
  });

  const inFlight = trackInFlight(app.server);
  const metrics = createSandboxMetrics(
    () => inFlight.count(),
    () => store.payBatchesSplit?.() ?? 0,
  );
  const rules = createRuleEngine(store);
  const logBounds = {
    maxEntries: config.requestLogMax,
    maxEntryBytes: Math.floor(config.requestLogMaxBytes / config.requestLogMax),
  };
  const requestLog = createRequestLogWriter(store, logBounds, (err) => {
    metrics.storeError('request_log');
    app.log.error({ err }, 'request log write failed');
  });
  app.addHook('onClose', async () => {
    rules.close();
    await requestLog.close();
  });
  // --rules: loaded now (an invalid file stops the start), then reloaded on every change (docs/rules.md).
  if (config.rules !== undefined) {
    const watcher = await startRuleFileWatcher({
      file: config.rules,
      store,
      log: app.log,
      onChange: () => rules.invalidate(),
    }).catch(async (err: unknown) => {
      await app.close();
      throw err;
    });
    app.addHook('onClose', async () => watcher.close());
  }

  const gatewayDeps: GatewayDeps = {
    store,
    policy: {
      unpaidTimeoutMs: config.unpaidTimeoutSeconds * 1000,
      refundWindowMs: config.refundWindowDays * 24 * 60 * 60 * 1000,
    },
    rates: config.rates,
    alipayKeys: deps.alipayKeys,
    rules,
    clock,
    maxParams: MAX_PARAMS,
  };
  // Asynchronous notifications: queued in the ledger transactions, delivered in the background.
  const notifications = createNotificationQueue(clock);
  gatewayDeps.notifications = notifications;
  gatewayDeps.verifyNotifyId = createNotifyVerifier(store, clock, config.notifyVerifyValiditySeconds);
  const notifier = createNotificationWorker({
    store,
    clock,
    alipayKeys: deps.alipayKeys,
    policy: gatewayDeps.policy,
    notifications,
    schedule: config.notifySchedule,
    timeoutMs: config.notifyTimeoutMs,
    allow: parseNotifyAllow(config.notifyAllow),
    maxEntries: config.requestLogMax,
    onError: (err) => app.log.error({ err }, 'notification delivery failed'),
  });
  app.addHook('onReady', (done) => {
    notifier.start();
    done();
  });
  app.addHook('onClose', async () => notifier.close());
  const parts: AppParts = {
    rules,
    requestLog,
    notifications,
    notifier,
    policy: gatewayDeps.policy,
    rates: config.rates,
    alipayKeys: deps.alipayKeys,
    inFlight,
    metrics,
  };

  gateway.handle = createGatewayHandler({
    deps: gatewayDeps,
    bodyLimit: config.bodyLimit,
    requestId,
    origin: (req) => requestOrigin(req, trustProxy),
    onOutcome: (o, r) => {
      requestLog.add(o, r);
      metrics.observeGateway(o);
    },
    onError: (err, reqId) => {
      app.log.error({ err, reqId }, 'gateway request failed');
      metrics.storeError('gateway');
    },
    held: createHeldConnections({
      total: config.maxHeldConnections,
      perMerchant: config.maxHeldConnectionsPerMerchant,
    }),
  });
  await app.register(adminApi, {
    store,
    adminToken: config.adminToken,
    allowedHosts: config.allowedHosts,
    rules,
    requestLog,
    clock,
    alipayKeys: deps.alipayKeys,
    notifications: { queue: notifications, kick: () => notifier.kick() },
    policy: gatewayDeps.policy,
    rates: config.rates,
  });
  await app.register(consolePlugin, {
    store,
    clock,
    rules,
    requestLog,
    alipayKeys: deps.alipayKeys,
    adminToken: config.adminToken,
    allowedHosts: config.allowedHosts,
    policy: gatewayDeps.policy,
    notifications,
  });
  await app.register(walletPagePlugin, {
    deps: { store, clock, policy: gatewayDeps.policy, rates: config.rates, notifications },
    kick: () => notifier.kick(),
  });
  app.get('/healthz', () => ({ status: 'ok' }));
  await app.register(opsRoutes, { store, metrics, inFlight });
  return { app, parts };
}
