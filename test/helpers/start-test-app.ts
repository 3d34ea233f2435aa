import { loadConfig, type ConfigFlags } from '../../src/config.js';
import { createManualClock } from '../../src/clock.js';
import { startServer, type RunningSandbox } from '../../src/start-server.js';

/** A sandbox on 127.0.0.1:0 with a fresh in-memory store, the demo accounts and a manual clock. */
export async function startTestApp(flags: ConfigFlags = {}, start = new Date('2026-11-26T04:00:00Z')) {
  const clock = createManualClock(start);
  const config = loadConfig({ port: 0, db: 'sqlite::memory:', logLevel: 'silent', ...flags }, {});
  const sandbox: RunningSandbox = await startServer(config, clock);
  return { ...sandbox, clock };
}

/** The type startTestApp resolves to. */
export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
