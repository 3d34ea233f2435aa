/**
 * deploy/nginx.conf in front of two instances on one store: requests through nginx reach both
 * instances and the results are those of one sandbox. Skipped when nginx is not installed.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { aPay } from '../helpers/builders.js';
import {
  sharedPostgresSchema,
  sharedSqliteFile,
  startInstances,
  stopAll,
  type SandboxProcess,
  type SharedStore,
} from '../helpers/sandbox-process.js';
import { postgresSkipReason } from '../helpers/store-matrix.js';
import { PAY, QUERY, pause, send } from './scale-calls.js';

const NGINX = '/usr/sbin/nginx';
const SITE_CONFIG = fileURLToPath(new URL('../../../deploy/nginx.conf', import.meta.url));
const UPSTREAM_LINE = /^(\s*)server 127\.0\.0\.1:808[12]( [^;]*)?;$/gm;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** deploy/nginx.conf with the listen port and the upstream servers of this test. */
async function siteConfig(port: number, instances: readonly SandboxProcess[]): Promise<string> {
  const text = await readFile(SITE_CONFIG, 'utf8');
  assert.equal(text.match(UPSTREAM_LINE)?.length, 2, 'deploy/nginx.conf lists two upstream servers');
  assert.match(text, /^ {4}listen 8080;$/m, 'deploy/nginx.conf listens on 8080');
  let i = 0;
  return text
    .replace(
      UPSTREAM_LINE,
      (_line, indent: string, rest = '') => `${indent}server ${new URL(instances[i++]!.url).host}${rest};`,
    )
    .replace(/^ {4}listen 8080;$/m, `    listen 127.0.0.1:${port};`);
}

/** A main configuration that keeps everything of nginx in dir and includes the site file. */
function mainConfig(dir: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `    ${kind}_temp_path ${join(dir, `${kind}_temp`)};`)
    .join('\n');
  return [
    'worker_processes 1;',
    'events { worker_connections 256; }',
    'http {',
    `    access_log ${join(dir, 'access.log')};`,
    temp,
    `    include ${join(dir, 'alipay-mock.conf')};`,
    '}',
    '',
  ].join('\n');
}

/** Sums alipay_mock_gateway_requests_total over its series, from an instance's own /metrics. */
async function gatewayRequestsServed(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('alipay_mock_gateway_requests_total{'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

const skip = existsSync(NGINX) ? undefined : `nginx is not installed (${NGINX}; Debian package nginx)`;

describe('two instances behind deploy/nginx.conf', { skip, timeout: 300_000 }, () => {
  let shared: SharedStore;
  let instances: SandboxProcess[] = [];
  let dir: string;
  let nginx: ChildProcess | undefined;
  let nginxLog = '';
  let proxy: string;

  before(async () => {
    // PostgreSQL is what the recipe recommends; a shared SQLite file works too when it is missing.
    shared = postgresSkipReason() === undefined ? sharedPostgresSchema() : await sharedSqliteFile();
    instances = await startInstances(shared, 2);
    dir = await mkdtemp(join(tmpdir(), 'alipay-mock-nginx-'));
    // nginx's workers run as an unprivileged user when the test runs as root: let them in.
    await chmod(dir, 0o755);
    const port = await freePort();
    await writeFile(join(dir, 'alipay-mock.conf'), await siteConfig(port, instances));
    await writeFile(join(dir, 'nginx.conf'), mainConfig(dir));
    const globals = `daemon off; master_process on; pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'error.log')} warn;`;
    nginx = spawn(NGINX, ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-g', globals], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    nginx.stderr?.setEncoding('utf8').on('data', (c: string) => (nginxLog += c));
    proxy = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const up = await fetch(`${proxy}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      const errors = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
      assert.ok(i < 100 && nginx.exitCode === null, `nginx did not come up: ${nginxLog}${errors}`);
      await pause(100);
    }
  });

  after(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx?.once('close', resolve));
      nginx.kill('SIGTERM');
      await exited;
    }
    await stopAll(instances);
    await shared?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('spreads gateway requests over both instances, with the answers of one sandbox', async () => {
    const before = await Promise.all(instances.map((p) => gatewayRequestsServed(p.url)));
    const pays = Array.from({ length: 24 }, () => aPay());
    for (const pay of pays) {
      const answer = await send(proxy, PAY, pay);
      assert.ok(answer.success, `pay through nginx: ${answer.error}`);
    }
    // Identical payments through the proxy: one trade.
    const twin = aPay();
    const twins = await Promise.all(Array.from({ length: 8 }, () => send(proxy, PAY, twin)));
    assert.ok(twins.every((a) => a.success));
    assert.equal(new Set(twins.map((a) => a.fields.alipay_trans_id)).size, 1);
    // Every trade is found whichever instance answers the query.
    for (const pay of [...pays, twin]) {
      const query = await send(proxy, QUERY, { partner_trans_id: pay.partner_trans_id! }, 'GET');
      assert.equal(query.fields.alipay_trans_status, 'TRADE_SUCCESS', `query of ${pay.partner_trans_id}`);
    }
    const served = (await Promise.all(instances.map((p) => gatewayRequestsServed(p.url)))).map(
      (n, i) => n - (before[i] ?? 0),
    );
    assert.equal(
      served.reduce((a, b) => a + b, 0),
      24 + 8 + 25,
    );
    for (const n of served) assert.ok(n > 0, `both instances served requests: ${served.join(' / ')}`);
  });

  it('answers the readiness probe through the proxy from the operator’s address', async () => {
    const res = await fetch(`${proxy}/readyz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ready' });
  });
});
