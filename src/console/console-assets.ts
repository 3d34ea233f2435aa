import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** The console's one stylesheet and one script, with the versioned URLs pages link to. */
export interface ConsoleAssets {
  css: { url: string; body: string };
  js: { url: string; body: string };
}

// `npm run build` copies src/console/static next to the compiled module (scripts/copy-console-static.mjs);
// a build by tsc alone still finds the sources, from dist/src/console/ three levels up.
const CANDIDATE_DIRS = [
  new URL('./static/', import.meta.url),
  new URL('../../../src/console/static/', import.meta.url),
];

async function readAsset(name: string): Promise<string> {
  for (const dir of CANDIDATE_DIRS) {
    try {
      return await readFile(new URL(name, dir), 'utf8');
    } catch {
      // try the next place
    }
  }
  throw new Error(`console asset ${name} not found (run npm run build)`);
}

function versioned(path: string, body: string): string {
  return `${path}?v=${createHash('sha256').update(body).digest('hex').slice(0, 12)}`;
}

/** Reads the assets once; the URL carries a hash of the content, so browsers may cache them for long. */
export async function loadConsoleAssets(): Promise<ConsoleAssets> {
  const [css, js] = await Promise.all([readAsset('console.css'), readAsset('console.js')]);
  return {
    css: { url: versioned('/assets/console.css', css), body: css },
    js: { url: versioned('/assets/console.js', js), body: js },
  };
}
