#!/usr/bin/env node
// `npm run examples`: starts a sandbox (the built dist/, a free port, a fresh SQLite file, an admin
// token) and runs every POS-side example in examples/ against it, each in its own language. Fails
// when an example fails or its runtime is missing, naming the Debian packages to install.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Debian's Python has python3-pytest and python3-requests; a python3 earlier on PATH (pyenv) may not.
const python = process.env.ALIPAY_MOCK_EXAMPLES_PYTHON ?? '/usr/bin/python3';

/** Each example: how to tell its runtime is there, which packages bring it, how to run it. */
const EXAMPLES = [
  {
    name: 'python (pytest)',
    dir: 'examples/python',
    probe: [python, ['-c', 'import pytest, requests']],
    packages: ['python3-pytest', 'python3-requests'],
    run: [python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider']],
  },
  {
    name: 'php',
    dir: 'examples/php',
    probe: ['php', ['-r', 'exit(function_exists("curl_init") && class_exists("SimpleXMLElement") ? 0 : 1);']],
    packages: ['php-cli', 'php-curl', 'php-xml'],
    run: ['php', ['checkout-test.php']],
  },
];

function runtimeMissing(example) {
  const [command, args] = example.probe;
  const probe = spawnSync(command, args, { stdio: 'ignore' });
  return probe.error !== undefined || probe.status !== 0;
}

/** `serve` on port 0; resolves with its URL once the banner names it. */
function startSandbox(db, token) {
  const child = spawn(
    process.execPath,
    [
      join(root, 'dist/src/cli.js'),
      'serve',
      '--port',
      '0',
      '--db',
      `sqlite:${db}`,
      '--admin-token',
      token,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the sandbox did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before listening`)));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const m = /^alipay-mock listening on (\S+)/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
  });
}

function runExample(example, env) {
  const [command, args] = example.run;
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: join(root, example.dir), stdio: 'inherit', env });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

const missing = EXAMPLES.filter(runtimeMissing);
if (missing.length > 0) {
  for (const example of missing) console.error(`examples: no runtime for ${example.name} (${example.dir})`);
  const packages = [...new Set(missing.flatMap((e) => e.packages))].join(' ');
  console.error(`examples: install the Debian packages: apt-get install -y ${packages}`);
  console.log(`examples: 0 passed, ${missing.length} failed`);
  process.exit(1);
}

const dir = await mkdtemp(join(tmpdir(), 'alipay-mock-examples-'));
const token = randomBytes(12).toString('hex');
let sandbox;
let passed = 0;
let failed = 0;
try {
  sandbox = await startSandbox(join(dir, 'sandbox.db'), token);
  console.log(`examples: sandbox at ${sandbox.url}`);
  const env = {
    ...process.env,
    ALIPAY_MOCK_URL: sandbox.url,
    ALIPAY_MOCK_ADMIN_TOKEN: token,
    PYTHONDONTWRITEBYTECODE: '1',
  };
  for (const example of EXAMPLES) {
    console.log(`\nexamples: ${example.name} (${example.dir})`);
    if (await runExample(example, env)) passed += 1;
    else {
      failed += 1;
      console.error(`examples: ${example.name} FAILED`);
    }
  }
} catch (err) {
  console.error(`examples: ${err instanceof Error ? err.message : String(err)}`);
  failed = EXAMPLES.length - passed;
} finally {
  if (sandbox) {
    const exited = new Promise((resolve) => sandbox.child.once('exit', resolve));
    sandbox.child.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
}
console.log(`examples: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
