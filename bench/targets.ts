import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sandboxOptions, serverOptions, type BenchSettings } from './bench-settings.js';
import { BENCH_PARTNER, type BenchFixtures } from './bench-fixtures.js';
import { startChildTarget, type ChildTarget } from './child-target.js';
import { writeManyRulesFile } from './many-rules.js';
import { startPostgresPair, startPostgresSandbox } from './postgres-targets.js';

/** How each kind of server under test is started; scenarios name one of these. */
export const TARGETS = {
  /** Bare node:http answering the sandbox's own query answer bytes. */
  bare: async (settings: BenchSettings, fixtures: BenchFixtures, workDir: string) => {
    const file = join(workDir, 'query-answer.xml');
    await writeFile(file, fixtures.queryAnswer);
    return startChildTarget('./bare-http-child.js', [file], serverOptions(settings));
  },
  /** The sandbox with a SQLite file store, as `alipay-mock serve` runs it. */
  sandbox: (settings: BenchSettings) => startChildTarget('./sandbox-child.js', [], sandboxOptions(settings)),
  /** The same with 10 000 custom rules across 1 000 merchants loaded from a rule file (many-rules.ts). */
  sandboxManyRules: async (settings: BenchSettings, _fixtures: BenchFixtures, workDir: string) =>
    startChildTarget(
      './sandbox-child.js',
      ['--rules', await writeManyRulesFile(workDir, BENCH_PARTNER)],
      sandboxOptions(settings),
    ),
  /** The sandbox on a fresh PostgreSQL schema. */
  postgres: (settings: BenchSettings) => startPostgresSandbox(settings),
  /** Two sandboxes on that same schema, wrk's two threads sending to one each. */
  postgresPair: (settings: BenchSettings) => startPostgresPair(settings),
} satisfies Record<
  string,
  (settings: BenchSettings, fixtures: BenchFixtures, workDir: string) => Promise<ChildTarget>
>;

/** Name of a target in TARGETS. */
export type TargetName = keyof typeof TARGETS;
