import { SYSTEM_CLOCK } from '../clock.js';
import { createMapiClient, type MapiClient, type MapiClientOptions } from '../client/mapi-client.js';
import { loadConfig, type ConfigFlags } from '../config.js';
import { startServer } from '../start-server.js';
import { settledTrade } from '../ledger/settle-trade.js';
import { changeMerchantClock, merchantNow } from '../ledger/sandbox-clock.js';
import type { Refund, Trade } from '../ledger/model.js';
import { sandboxKeyPairs } from './rsa-key-pair.js';
import {
  createSandboxMerchant,
  type SandboxMerchant,
  type SandboxMerchantOptions,
} from './sandbox-merchant.js';
import { sandboxNotifications, type SandboxNotifications } from './sandbox-notifications.js';
import { sandboxRequests, type SandboxRequests } from './sandbox-requests.js';
import { sandboxRules, type SandboxRules } from './sandbox-rules.js';
import { sandboxWallet, type SandboxWallet } from './sandbox-wallet.js';
import { sandboxCheck, type SandboxCheck } from './sandbox-check.js';

/** Options of startSandbox; everything has a default for a test. */
export interface StartSandboxOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Storage URL; default `sqlite::memory:` (a private store that vanishes on close). */
  db?: string;
  /** The sandbox's merchant; by default a fresh one with random ids and keys. */
  merchant?: SandboxMerchantOptions;
  /**
   * Any other setting of `alipay-mock serve` (docs: README "Configuration"), e.g.
   * `{ notifySchedule: '100ms,200ms', unpaidTimeoutSeconds: 30 }`. The environment is not read.
   */
  config?: ConfigFlags;
  /**
   * Keep the generated RSA key pairs in a per-user file in the temp folder, so the next test process
   * starts without generating keys (default true; false: generate once per process).
   */
  keyCache?: boolean;
}

/** The merchant's sandbox clock: drives auto-close, resolutions, the cancel day and notify_verify validity. */
export interface SandboxClockControl {
  now(): Promise<Date>;
  /** Moves the clock on; trades whose resolution or auto-close fell due are settled (and notify) before it returns. */
  advance(seconds: number): Promise<Date>;
  /** Jumps to an instant (keeps running unless frozen). */
  set(date: Date): Promise<Date>;
  /** Stops the clock where it is (or at `date`). */
  freeze(date?: Date): Promise<Date>;
  /** Lets a frozen clock run again from where it stands. */
  unfreeze(): Promise<Date>;
  /** Back to real time. */
  reset(): Promise<Date>;
}

/** A trade as the ledger has it, with its refunds. */
export type SandboxTrade = Trade & { refunds: Refund[] };

/** A running in-process sandbox: a real server on a port, with one merchant and the tools to script and check it. */
export interface Sandbox {
  /** Base URL, e.g. `http://127.0.0.1:53211` (the admin API is under `/api`). */
  url: string;
  /** The gateway: `${url}/gateway.do`. */
  gatewayUrl: string;
  merchant: SandboxMerchant;
  /** A MAPI client for the merchant (MD5 by default; `{ signType: 'RSA2' }` works out of the box). */
  client(opts?: Partial<MapiClientOptions>): MapiClient;
  rules: SandboxRules;
  clock: SandboxClockControl;
  requests: SandboxRequests;
  trades: {
    /** The trade of a partner_trans_id, settled to the sandbox time first (as a query would see it). */
    get(partnerTransId: string): Promise<SandboxTrade | undefined>;
  };
  notifications: SandboxNotifications;
  /** The sandbox wallet: a buyer pays, declines or lets time out a precreate `qr_code`, or pays a merchant QR code (docs/testing.md). */
  wallet: SandboxWallet;
  /** The integration check: start a run, let the POS's tests run, read the report (docs/integration-check.md). */
  check: SandboxCheck;
  /** Forgets the merchant's trades, refunds, rules, clock, request log and notifications (not the merchant). */
  reset(): Promise<void>;
  /** Stops the server, its clients and its delivery worker, and closes the store. */
  close(): Promise<void>;
}

/**
 * Starts a sandbox in this process for a test suite (docs/testing.md): the real gateway, ledger, mock
 * rules and notifications, on its own port and store, with a fresh merchant.
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
  const keysPromise = sandboxKeyPairs(options.keyCache === false ? null : undefined);
  const config = loadConfig(
    {
      logLevel: 'silent',
      ...options.config,
      port: options.port ?? 0,
      host: options.host ?? '127.0.0.1',
      db: options.db ?? 'sqlite::memory:',
    },
    {},
  );
  const running = await startServer(config, SYSTEM_CLOCK, {
    generateAlipayKeys: async () => (await keysPromise).alipay,
  });
  const { parts } = running;
  const clients: MapiClient[] = [];
  try {
    const { store } = running;
    const keys = await keysPromise;
    const merchant = await createSandboxMerchant(
      store,
      options.merchant ?? {},
      keys.merchant,
      parts.alipayKeys.publicKeyPem,
    );
    const partner = merchant.partner;
    const gatewayUrl = `${running.url}/gateway.do`;
    const afterClockChange = async (now: Date) => {
      await parts.notifier.settleDueTrades(partner);
      parts.notifier.kick();
      return now;
    };
    const change = async (c: Parameters<typeof changeMerchantClock>[3]) =>
      afterClockChange(await changeMerchantClock(store, SYSTEM_CLOCK, partner, c));

    return {
      url: running.url,
      gatewayUrl,
      merchant,
      client(opts = {}) {
        const client = createMapiClient({
          gateway: gatewayUrl,
          partner,
          key: merchant.md5Key,
          privateKey: merchant.rsaPrivateKey,
          alipayPublicKey: merchant.alipayPublicKey,
          ...opts,
        });
        clients.push(client);
        return client;
      },
      rules: sandboxRules(store, parts.rules, partner),
      clock: {
        now: () => merchantNow(store, SYSTEM_CLOCK, partner),
        advance: (seconds) => change({ advanceSeconds: seconds }),
        set: (date) => change({ set: date }),
        freeze: (date) => change({ set: date, freeze: true }),
        unfreeze: () => change({ freeze: false }),
        reset: async () => {
          await store.setMerchantClock(partner, null);
          return afterClockChange(SYSTEM_CLOCK.now());
        },
      },
      requests: sandboxRequests(store, parts.requestLog, partner),
      trades: {
        async get(partnerTransId) {
          const trade = await settledTrade(
            store,
            SYSTEM_CLOCK,
            parts.policy,
            partner,
            partnerTransId,
            parts.notifications,
          );
          return trade && { ...trade, refunds: await store.listRefunds(trade.alipayTransId) };
        },
      },
      notifications: sandboxNotifications(store, parts.notifier, partner),
      wallet: sandboxWallet(
        {
          store,
          clock: SYSTEM_CLOCK,
          policy: parts.policy,
          rates: parts.rates,
          notifications: parts.notifications,
        },
        () => parts.notifier.kick(),
      ),
      check: sandboxCheck(store, parts.rules, parts.requestLog, partner),
      async reset() {
        await parts.requestLog.flush();
        await store.resetMerchantState(partner);
        parts.rules.invalidate();
      },
      async close() {
        for (const c of clients) c.close();
        await running.close();
      },
    };
  } catch (err) {
    await running.close();
    throw err;
  }
}
