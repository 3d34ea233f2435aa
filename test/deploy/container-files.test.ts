// The Dockerfile and compose.yaml cannot be built or run here (no container engine on this machine),
// so this checks what they refer to: files that exist and are in the build context, stages, the
// runtime's Node line, the health check's port, the user, and that compose's instances are where
// deploy/nginx.conf sends requests.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');

/** A Dockerfile instruction: keyword and its arguments, continuation lines joined. */
interface Instruction {
  keyword: string;
  args: string;
}

/** The instructions of a Dockerfile, comments dropped and `\` continuations joined. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** The instructions of each stage, by stage name (the last stage is also under ''). */
function stages(list: Instruction[]): Map<string, Instruction[]> {
  const byName = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  for (const ins of list) {
    if (ins.keyword === 'FROM') {
      current = [ins];
      const name = / AS (\S+)$/i.exec(ins.args)?.[1] ?? '';
      byName.set(name, current);
    } else {
      current.push(ins);
    }
  }
  return byName;
}

/** `KEY=value` pairs of the ENV instructions of a stage. */
function envOf(stage: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const ins of stage.filter((i) => i.keyword === 'ENV')) {
    for (const m of ins.args.matchAll(/(\w+)=(\S+)/g)) env[m[1]!] = m[2]!;
  }
  return env;
}

const dockerfile = instructions(read('Dockerfile'));
const byStage = stages(dockerfile);
const finalStage = byStage.get('')!;
const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; bin: Record<string, string> };

interface ComposeService {
  image?: string;
  build?: string;
  network_mode?: string;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
}
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
const nginxConf = read('deploy/nginx.conf');

describe('Dockerfile', () => {
  it('copies only files that exist, that .dockerignore lets in, and no tests or benchmarks', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const copies = dockerfile.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from='));
    assert.ok(copies.length > 0);
    for (const copy of copies) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        assert.ok(existsSync(`${ROOT}${source}`), `COPY ${source}: no such file in the repository`);
        const top = source.replace(/^\.\//, '').split('/')[0]!;
        assert.ok(!ignored.includes(top), `COPY ${source}: .dockerignore leaves it out of the context`);
        assert.ok(
          !['test', 'bench'].includes(top),
          `COPY ${source}: tests and benchmarks do not run in the image`,
        );
      }
    }
  });

  it('copies from stages it defines, and runs the CLI that package.json names', () => {
    for (const ins of finalStage.filter((i) => i.args.startsWith('--from='))) {
      const stage = /--from=(\S+)/.exec(ins.args)![1]!;
      assert.ok(byStage.has(stage) && stage !== '', `COPY --from=${stage}: no such stage`);
    }
    const cmd = JSON.parse(finalStage.find((i) => i.keyword === 'CMD')!.args) as string[];
    const cli = Object.values(pkg.bin)[0]!;
    // Node's own options sit between the two (test/deploy/node-flags.test.ts).
    assert.equal(cmd[0], 'node');
    assert.deepEqual(cmd.slice(-2), [cli, 'serve']);
    const copied = finalStage
      .filter((i) => i.keyword === 'COPY')
      .map((i) => i.args.split(/\s+/).at(-1)!.replace(/^\.\//, ''));
    assert.ok(
      copied.some((dest) => cli.startsWith(dest)),
      `${cli} is not in what the final stage copies: ${copied.join(', ')}`,
    );
    assert.ok(!copied.some((dest) => /^(test|bench|src)\b/.test(dest)), 'the image ships sources or tests');
  });

  it('builds every stage on an LTS line that package.json engines allows', () => {
    const minimum = Number(/>=\s*(\d+)/.exec(pkg.engines.node)![1]);
    for (const from of dockerfile.filter((i) => i.keyword === 'FROM')) {
      const major = Number(/^node:(\d+)-/.exec(from.args)?.[1]);
      assert.ok(major >= minimum && major % 2 === 0, `FROM ${from.args}: not a Node LTS line >= ${minimum}`);
    }
  });

  it('health-checks the configured port, runs as a non-root user, keeps SQLite in the volume', () => {
    const env = envOf(finalStage);
    const health = finalStage.find((i) => i.keyword === 'HEALTHCHECK')!.args;
    assert.match(health, /process\.env\.ALIPAY_MOCK_PORT/);
    assert.doesNotMatch(health, /127\.0\.0\.1:\d/, 'a port written into the health check');
    assert.equal(finalStage.find((i) => i.keyword === 'EXPOSE')?.args, env['ALIPAY_MOCK_PORT']);
    const user = finalStage.filter((i) => i.keyword === 'USER').at(-1)?.args;
    assert.ok(user !== undefined && user !== 'root' && user !== '0', `USER ${user}`);
    const volume = finalStage.find((i) => i.keyword === 'VOLUME')!.args;
    assert.ok(
      env['ALIPAY_MOCK_DB']?.startsWith(`sqlite:${volume}/`),
      `${env['ALIPAY_MOCK_DB']} is outside ${volume}`,
    );
  });
});

describe('compose.yaml', () => {
  const services = Object.entries(compose.services);
  const instances = services.filter(([, s]) => s.build !== undefined);
  const [nginxName, nginx] = services.find(([, s]) => s.image?.startsWith('nginx:') === true)!;

  it('mounts deploy/nginx.conf and files that exist, and builds this Dockerfile', () => {
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const host = volume.split(':')[0]!;
        if (host.startsWith('.')) assert.ok(existsSync(`${ROOT}${host}`), `${name}: ${host} does not exist`);
      }
    }
    assert.ok(nginx.volumes?.some((v) => v.startsWith('./deploy/nginx.conf:')));
    assert.ok(instances.length >= 2, 'two instances or more');
    for (const [, service] of instances) assert.equal(service.build, '.');
    assert.ok(existsSync(`${ROOT}Dockerfile`));
  });

  it('puts the instances where deploy/nginx.conf sends requests, and publishes its listen port', () => {
    const upstream = /upstream alipay_mock \{([^}]*)\}/.exec(nginxConf)![1]!;
    const servers = [...upstream.matchAll(/^\s*server\s+([\d.]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    const listening = instances.map(([name, s]) => {
      assert.equal(s.network_mode, `service:${nginxName}`, `${name} does not share nginx's network`);
      return `${s.environment?.['ALIPAY_MOCK_HOST']}:${s.environment?.['ALIPAY_MOCK_PORT']}`;
    });
    assert.deepEqual(listening.sort(), servers.sort());
    const listen = /^\s*listen\s+(\d+);/m.exec(nginxConf)![1]!;
    assert.ok(
      nginx.ports?.some((p) => p.endsWith(`:${listen}`)),
      `nginx publishes ${nginx.ports?.join(', ')}, listens on ${listen}`,
    );
  });

  it('gives the instances a PostgreSQL service of the compose file, with its user and database', () => {
    const [dbName, db] = services.find(([, s]) => s.image?.startsWith('postgres:') === true)!;
    for (const [name, service] of instances) {
      const url = new URL(service.environment?.['ALIPAY_MOCK_DB'] ?? '');
      assert.equal(url.hostname, dbName, `${name}: the database is not the ${dbName} service`);
      assert.equal(url.username, db.environment?.['POSTGRES_USER']);
      assert.equal(url.password, db.environment?.['POSTGRES_PASSWORD']);
      assert.equal(url.pathname, `/${db.environment?.['POSTGRES_DB']}`);
      assert.ok(service.environment?.['ALIPAY_MOCK_ADMIN_TOKEN'], `${name}: no admin token behind nginx`);
    }
  });
});
