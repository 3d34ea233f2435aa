// One contract, every store: each backend in the matrix must pass the same tests (a PostgreSQL
// that is not reachable is reported as skipped, with the reason).
import { afterEach, beforeEach, describe } from 'node:test';
import { createManualClock } from '../../src/clock.js';
import type { Store } from '../../src/storage/store.js';
import { storeMatrix } from '../helpers/store-matrix.js';
import { buyerContract, merchantContract, settingContract } from './contract/accounts.js';
import { checkRunContract } from './contract/check-runs.js';
import { apiKeyContract, requestLogDiagnosisContract } from './contract/api-keys.js';
import { concurrencyContract, ruleConcurrencyContract } from './contract/concurrency.js';
import { consoleContract } from './contract/console.js';
import { CONTRACT_START, type ContractContext, type ManualClock } from './contract/context.js';
import { balanceContract, refundContract, tradeContract, transactionContract } from './contract/ledger.js';
import {
  defaultRuleSwitchContract,
  merchantClockContract,
  merchantResetContract,
} from './contract/merchant-state.js';
import { notificationContract } from './contract/notifications.js';
import { payNewTradeConcurrencyContract, payNewTradeContract } from './contract/pay-new-trade.js';
import { requestLogContract } from './contract/request-log.js';
import { ruleContract, ruleHitContract } from './contract/rules.js';
import { qrOrderContract } from './contract/qr-orders.js';

for (const target of storeMatrix()) {
  describe(`store contract: ${target.name}`, { skip: target.skip }, () => {
    let store: Store | undefined;
    let clock: ManualClock = createManualClock(CONTRACT_START);
    const ctx: ContractContext = {
      store: () => {
        if (store === undefined) throw new Error('no store: the test runs outside beforeEach/afterEach');
        return store;
      },
      clock: () => clock,
    };

    beforeEach(async () => {
      clock = createManualClock(CONTRACT_START);
      store = await target.open({ clock });
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    describe('merchants', () => merchantContract(ctx));
    describe('buyers', () => buyerContract(ctx));
    describe('settings', () => settingContract(ctx));
    describe('balances', () => balanceContract(ctx));
    describe('trades', () => tradeContract(ctx));
    describe('refunds', () => refundContract(ctx));
    describe('sequences and transactions', () => transactionContract(ctx));
    describe('concurrency', () => concurrencyContract(ctx));
    describe('paying a new trade', () => payNewTradeContract(ctx));
    describe('concurrent pays', () => payNewTradeConcurrencyContract(ctx));
    describe('rules', () => ruleContract(ctx));
    describe('rule hits and counters', () => ruleHitContract(ctx));
    describe('rule concurrency', () => ruleConcurrencyContract(ctx));
    describe('default-rule switches', () => defaultRuleSwitchContract(ctx));
    describe('merchant clocks', () => merchantClockContract(ctx));
    describe('request log', () => requestLogContract(ctx));
    describe('merchant reset', () => merchantResetContract(ctx));
    describe('API keys', () => apiKeyContract(ctx));
    describe('request log diagnosis', () => requestLogDiagnosisContract(ctx));
    describe('console logins and sessions', () => consoleContract(ctx));
    describe('QR-code orders and the wallet', () => qrOrderContract(ctx));
    describe('check runs', () => checkRunContract(ctx));
    describe('notifications', () => notificationContract(ctx));
  });
}
