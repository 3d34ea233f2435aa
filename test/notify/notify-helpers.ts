import { setTimeout as sleep } from 'node:timers/promises';
import type { ConfigFlags } from '../../src/config.js';
import type { AppParts } from '../../src/app.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { startStubServer } from '../helpers/stub-http-server.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { api } from '../helpers/admin-call.js';

/** What the test merchant answers a notification with: a body, a late body, or nothing at all. */
export type MerchantAnswer = string | { body: string; afterMs: number } | { hang: true };

/** The answer that never comes. */
export const HANG: MerchantAnswer = { hang: true };

/** One notification as the test merchant received it. */
export interface Received {
  params: Record<string, string>;
  body: string;
  contentType: string | undefined;
}

/** A merchant's notify_url endpoint over a real socket. */
export interface NotifyTarget {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * Starts a merchant endpoint. `answer` gets the 0-based index of the notification and its
 * parameters, and may call the sandbox (notify_verify) before answering.
 */
export async function startNotifyTarget(
  answer: (index: number, params: Record<string, string>) => MerchantAnswer | Promise<MerchantAnswer>,
): Promise<NotifyTarget> {
  const received: Received[] = [];
  const stub = await startStubServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const params = Object.fromEntries(new URLSearchParams(body));
      const index = received.push({ params, body, contentType: req.headers['content-type'] }) - 1;
      void Promise.resolve(answer(index, params)).then(async (a) => {
        if (typeof a === 'string') return void res.end(a);
        if ('hang' in a) return;
        await sleep(a.afterMs, undefined, { ref: false });
        if (!res.destroyed) res.end(a.body);
      });
    });
  });
  return { url: `${stub.url}/alipay/notify`, received, close: () => stub.close() };
}

/** A test app (manual clock at 2026-11-26T04:00:00Z, demo accounts) with its delivery worker at hand. */
export type NotifyApp = TestApp & {
  parts: AppParts;
  /** Settles due trades and delivers what is due, then waits for those deliveries. */
  deliver(): Promise<void>;
  /** Moves the process clock (the retry schedule) and the sandbox clocks with it, then delivers. */
  advanceAndDeliver(ms: number): Promise<void>;
};

/** Starts the sandbox for notification tests; settings as `alipay-mock serve` flags. */
export async function startNotifyApp(flags: ConfigFlags = {}, start?: Date): Promise<NotifyApp> {
  const app = await startTestApp(flags, start);
  const { parts } = app;
  const deliver = () => parts.notifier.runOnce();
  return {
    ...app,
    parts,
    deliver,
    async advanceAndDeliver(ms) {
      app.clock.advance(ms);
      await deliver();
    },
  };
}

/** Pays with the demo merchant (MD5), notify_url given; returns the answer's business fields. */
export async function payWithNotify(app: TestApp, notifyUrl: string, overrides: Record<string, string> = {}) {
  const res = await callGateway(
    app.url,
    'alipay.acquire.overseas.spot.pay',
    aPay({ notify_url: notifyUrl, ...overrides }),
  );
  return res.envelope.response;
}

/** The demo merchant's outbox through the admin API, newest first. */
export async function outbox(app: TestApp, query = ''): Promise<NotificationJson[]> {
  const res = await api(app.url, 'GET', `/api/merchants/${DEMO_MERCHANT.partner}/notifications${query}`);
  return res.json['items'] as NotificationJson[];
}

/** The admin API's JSON view of a notification. */
export interface NotificationJson {
  id: string;
  notifyId: string;
  status: string;
  action: string;
  attempts: number;
  mode: string;
  partnerTransId: string;
  params: Record<string, string>;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  attemptLog: Array<{
    attempt: number;
    requestBody: string;
    responseStatus: number | null;
    responseBody: string | null;
    error: string | null;
  }>;
}
