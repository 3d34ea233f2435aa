/**
 * `node dist/bench/store-pays.js <pairs> [<build>] [<build>]`: the SQLite store's part of a spot pay
 * alone, without HTTP, for changes too small for `alternate.js` to tell apart on a noisy host (a few
 * per cent of a pay). Each measurement is a fresh process on the server CPU (BENCH_SERVER_CPU) that
 * opens a new store file, pays STORE_PAYS_WARMUP trades, then times STORE_PAYS_COUNT more (process
 * CPU, all threads), STORE_PAYS_PER_TURN started in each event-loop turn as concurrent requests
 * would: one commit for each turn's pays, as the gateway's. The two builds (each defaults to this
 * one; a folder holding another build's dist/) are measured in turn, the order swapped every pair; it
 * prints each pair's µs a pay and B/A, then the medians. A benchmark, not a test: it asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { NewBuyer, UnnumberedTrade } from '../src/ledger/ledger-store.js';
import type { openStore } from '../src/storage/open-store.js';
import { benchSettingsOrExit, positiveNumber } from './bench-settings.js';
import { median } from './quantile.js';

const USAGE = 'usage: store-pays.js <pairs> [<build folder>] [<build folder>]';
const OPEN_STORE = 'dist/src/storage/open-store.js';
const CODE = '281234567890123456';

/** A whole number of pays from an environment variable (bench-settings.ts's rule for numbers). */
function wholeSetting(name: string, fallback: number): number {
  return Math.round(positiveNumber(process.env[name], fallback, name));
}

/** One measurement, in this process: the store of `openStorePath`, µs of CPU a pay printed on stdout. */
async function measure(openStorePath: string): Promise<void> {
  const perTurn = wholeSetting('STORE_PAYS_PER_TURN', 25);
  const open = (await import(pathToFileURL(openStorePath).href)) as { openStore: typeof openStore };
  const dir = mkdtempSync(join(tmpdir(), 'alipay-mock-store-pays-'));
  const store = await open.openStore(`sqlite:${join(dir, 'store.db')}`);
  try {
    const buyer: NewBuyer = {
      userId: '2088000000000001',
      loginId: 'bench@example.com',
      name: 'Bench buyer',
      wallet: 'ALIPAYCN',
      paymentCode: CODE,
      isDefault: true,
      balances: { USD: 1e15 },
    };
    await store.createBuyer(buyer);
    const now = new Date();
    let made = 0;
    const trade = (): UnnumberedTrade => ({
      partner: '2088101122136241',
      partnerTransId: `bench-${++made}`,
      status: 'TRADE_SUCCESS',
      buyerIdentityCode: CODE,
      currency: 'USD',
      transCurrency: 'USD',
      amountMinor: 1,
      refundedMinor: 0,
      exchangeRate: '1',
      transForexRate: '1',
      transName: 'bench',
      notifyUrl: null,
      createdAt: now,
      paidAt: now,
      closedAt: null,
      expiresAt: null,
      closeReason: null,
      cancelAction: null,
      resolution: null,
      queryCount: 0,
    });
    const pay = async (pays: number) => {
      for (let done = 0; done < pays; done += perTurn) {
        const outcomes = await Promise.all(Array.from({ length: perTurn }, () => store.payNewTrade(trade())));
        const other = outcomes.find((o) => o.kind !== 'paid');
        if (other !== undefined) throw new Error(`a pay answered ${other.kind}`);
      }
    };
    await pay(wholeSetting('STORE_PAYS_WARMUP', 10_000));
    const timed = wholeSetting('STORE_PAYS_COUNT', 30_000);
    const before = process.cpuUsage();
    await pay(timed);
    const used = process.cpuUsage(before);
    process.stdout.write(`${(used.user + used.system) / timed}\n`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function usageError(problem: string): never {
  process.stderr.write(`store-pays.js: ${problem}\n${USAGE}\n`);
  process.exit(2);
}

if (process.argv[2] === '--child') {
  await measure(process.argv[3] ?? usageError('--child needs the store module'));
} else {
  const [pairsArg, ...builds] = process.argv.slice(2);
  const pairs = Number(pairsArg);
  if (!Number.isInteger(pairs) || pairs < 1) usageError(`pairs must be a whole number ≥ 1, got ${pairsArg}`);
  if (builds.length > 2) usageError(`at most two builds, got ${builds.length}`);
  const here = resolve(fileURLToPath(import.meta.url), '../../..');
  const sides = [builds[0] ?? here, builds[1] ?? here].map((build) => {
    const module = resolve(build, OPEN_STORE);
    if (!existsSync(module)) usageError(`${build} holds no build (no ${OPEN_STORE})`);
    return { build, module, micros: [] as number[] };
  });
  const { serverCpu } = benchSettingsOrExit({ ...process.env, BENCH_SLICES: '1' }, 'store-pays.js');
  const run = (module: string) =>
    Number(
      execFileSync(
        'taskset',
        ['-c', serverCpu, process.execPath, fileURLToPath(import.meta.url), '--child', module],
        {
          encoding: 'utf8',
        },
      ),
    );
  const [a, b] = sides as [(typeof sides)[0], (typeof sides)[0]];
  process.stdout.write(`A ${a.build}\nB ${b.build}\nµs of CPU a pay in the store, per pair: A B B/A\n`);
  for (let pair = 1; pair <= pairs; pair++) {
    const order = pair % 2 === 1 ? [a, b] : [b, a];
    for (const side of order) side.micros.push(run(side.module));
    const x = a.micros.at(-1)!;
    const y = b.micros.at(-1)!;
    process.stdout.write(`pair ${pair}: ${x.toFixed(2)} ${y.toFixed(2)} ${(y / x).toFixed(3)}\n`);
  }
  const ratios = a.micros.map((x, i) => b.micros[i]! / x);
  process.stdout.write(
    `median A ${median(a.micros).toFixed(2)}, B ${median(b.micros).toFixed(2)} µs a pay; B/A median ${median(ratios).toFixed(3)}\n`,
  );
}
