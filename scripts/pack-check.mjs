// The package as a user gets it: packs the tarball, checks what it ships, installs it into a scratch
// project (the tarball from disk, its dependencies from the registry or npm's cache), then runs
// `npx alipay-mock --version`, `npx alipay-mock serve` with a signed pay and query, and a startSandbox()
// test compiled by TypeScript in strict mode, once with moduleResolution nodenext (`exports`) and once
// with the older `node` (`types`/`main`). Prints one `pack: pass …` line, or fails with the reason.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, payAndQuery, startServe } from './lib/smoke-steps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'alipay-mock-pack-'));
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The files the tarball must hold besides the compiled library and CLI under dist/src/. */
const TOP_LEVEL = ['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json'];

/** Every .js.map below dir whose sources are neither inlined nor shipped. */
function unresolvedMaps(dir) {
  const bad = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) bad.push(...unresolvedMaps(path));
    else if (name.endsWith('.js.map')) {
      const map = JSON.parse(readFileSync(path, 'utf8'));
      map.sources.forEach((source, i) => {
        const inlined = typeof map.sourcesContent?.[i] === 'string';
        if (!inlined && !statSync(join(dirname(path), source), { throwIfNoEntry: false })?.isFile()) {
          bad.push(`${path}: ${source}`);
        }
      });
    }
  }
  return bad;
}

/** A user's test of the toolkit, as docs/testing.md describes it. */
const USER_TEST = `import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox, type SpotPayResult } from 'alipay-mock';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.close();
});

test('a scripted decline, then a payment the query confirms', async () => {
  await sandbox.rules.add({
    service: 'alipay.acquire.overseas.spot.pay',
    name: 'first attempt declined',
    when: [{ field: 'partner_trans_id', op: 'eq', value: 'ORDER-1' }],
    then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
    times: 1,
  });
  const client = sandbox.client();
  const order = {
    partnerTransId: 'ORDER-1',
    transName: 'Coffee',
    currency: 'USD',
    transAmount: '4.50',
    buyerIdentityCode: '280000000000000001',
  };
  const declined: SpotPayResult = await client.spotPay(order);
  assert.equal(declined.error, 'BUYER_BALANCE_NOT_ENOUGH');
  const paid = await client.spotPay(order);
  assert.equal(paid.resultCode, 'SUCCESS');
  const query = await client.query({ partnerTransId: 'ORDER-1' });
  assert.equal(query.tradeStatus, 'TRADE_SUCCESS');
  await sandbox.requests.expect({ service: 'pay', partnerTransId: 'ORDER-1' }, { count: 2 });
});
`;

try {
  // 1. Pack (npm runs `prepare`, i.e. the build) and check the file list.
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', scratch], root));
  const files = packed.files.map((f) => f.path);
  for (const name of [...TOP_LEVEL, 'dist/src/cli.js', 'dist/src/index.js', 'dist/src/index.d.ts']) {
    check(files.includes(name), `the tarball lacks ${name}`);
  }
  const stray = files.filter((f) => !TOP_LEVEL.includes(f) && !f.startsWith('dist/src/'));
  check(stray.length === 0, `the tarball ships files that do not run: ${stray.join(', ')}`);
  const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  check(sources.length === 0, `the tarball ships TypeScript sources: ${sources.slice(0, 5).join(', ')}`);

  // 2. Install it into a scratch project, with the TypeScript and Node types of this checkout.
  const tarball = join(scratch, packed.filename);
  const app = join(scratch, 'app');
  mkdirSync(join(app, 'test'), { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
  );
  const devTools = ['typescript', '@types/node'].map((name) => `${name}@${pkg.devDependencies[name]}`);
  const install = execFileSync('npm', ['install', '--no-audit', '--no-fund', tarball, ...devTools], {
    cwd: app,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  check(!/EBADENGINE/.test(install), `npm install warned EBADENGINE:\n${install}`);
  const installed = join(app, 'node_modules', 'alipay-mock');
  const unresolved = unresolvedMaps(join(installed, 'dist'));
  check(
    unresolved.length === 0,
    `source maps point at missing sources: ${unresolved.slice(0, 3).join(', ')}`,
  );

  // 3. The CLI through npx: --version, then serve with a signed pay and query.
  const version = run('npx', ['--no-install', 'alipay-mock', '--version'], app).trim();
  check(
    version === pkg.version,
    `npx alipay-mock --version printed ${version}, package.json says ${pkg.version}`,
  );
  const server = await startServe(
    'npx',
    ['--no-install', 'alipay-mock', 'serve', '--port', '0', '--db', 'sqlite::memory:', '--log-level', 'warn'],
    { cwd: app },
  );
  let served;
  try {
    served = await payAndQuery(server.url);
  } finally {
    await server.stop();
  }

  // 4. A user's startSandbox() test, strict TypeScript, under both module resolutions.
  writeFileSync(join(app, 'test', 'sandbox.test.ts'), USER_TEST);
  for (const resolution of ['nodenext', 'node']) {
    const tsconfig = `tsconfig.${resolution}.json`;
    writeFileSync(join(app, tsconfig), JSON.stringify(userTsconfig(resolution), null, 2));
    run(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], app);
    run(process.execPath, ['--test', `out-${resolution}/sandbox.test.js`], app);
  }

  const kb = (packed.size / 1024).toFixed(1);
  console.log(
    `pack: pass: ${packed.filename} (${kb} KiB, ${files.length} files) installed in a scratch project; ` +
      `npx alipay-mock --version printed ${version}; serve answered a signed pay ${served.pay} and its query ` +
      `${served.query}; a strict TypeScript startSandbox() test passed with moduleResolution nodenext and node`,
  );
} catch (err) {
  // execFileSync's error carries the child's output: show it, it says what went wrong.
  if (err.stderr || err.stdout) process.stderr.write(`${err.stdout ?? ''}${err.stderr ?? ''}`);
  throw err;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** The scratch project's tsconfig: strict, declarations of dependencies checked too. */
function userTsconfig(resolution) {
  return {
    compilerOptions: {
      target: 'ES2022',
      module: resolution === 'node' ? 'ES2022' : 'NodeNext',
      moduleResolution: resolution,
      // TypeScript 6 deprecates the `node` (node10) resolution; projects that still use it say so.
      ...(resolution === 'node' ? { ignoreDeprecations: '6.0' } : {}),
      types: ['node'],
      strict: true,
      skipLibCheck: false,
      outDir: `out-${resolution}`,
      rootDir: 'test',
    },
    include: ['test/**/*.ts'],
  };
}
