import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Compiled to dist/test/architecture/: the repository root is three folders up.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'check-layers.mjs');

function check(root: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** Runs the check on a throw-away tree of these files (path → source) and expects it to fail with `message`. */
function assertRefused(files: Record<string, string>, message: RegExp): void {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const r = check(root);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, message);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('the layering check', () => {
  it('passes on the project as it is', () => {
    const r = check(ROOT);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /no violation/);
  });

  it('fails when the core imports storage, naming the import', () => {
    assertRefused(
      {
        'src/ledger/model.ts': "import type { Row } from '../storage/schema.js';\nexport type M = Row;\n",
        'src/storage/schema.ts': 'export type Row = { id: string };\n',
      },
      /src\/ledger\/model\.ts imports src\/storage\/schema\.ts: ledger may not import storage/,
    );
  });

  it('fails on an import circle inside one folder', () => {
    assertRefused(
      {
        'src/rules/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'src/rules/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      },
      /import circle: src\/rules\/a\.ts → src\/rules\/b\.ts/,
    );
  });

  it('fails on a sibling import between two folders of one layer', () => {
    assertRefused(
      {
        'src/gateway/route.ts': "import { q } from '../notify/queue.js';\nexport const r = q;\n",
        'src/notify/queue.ts': 'export const q = 1;\n',
      },
      /gateway may not import notify \(same layer\)/,
    );
  });
});
