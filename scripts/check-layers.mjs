// Checks the import graph of src/ and bench/ against the layers of docs/architecture.md: a module
// may import its own folder and the folders of lower layers, never a higher or a sibling one, and no
// files may import each other in a circle. A plain scan of import/export specifiers (no dependency):
// every relative import in this project is a literal string.
// Usage: node scripts/check-layers.mjs [root]   (exit status 1 and one line per violation when broken)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Lowest first. Each entry: the folders (or top-level files, without .ts) of one layer. */
export const LAYERS = [
  ['ports', 'clock', 'package-version'],
  ['protocol'],
  ['client', 'rules'],
  ['ledger', 'check'],
  ['services', 'domain', 'demo-accounts'],
  ['gateway', 'notify', 'rule-files'],
  ['ops', 'views', 'storage'],
  ['admin', 'console'],
  ['config'],
  ['app'],
  ['start-server'],
  ['toolkit'],
  ['commands'],
  ['cli', 'index', 'bench'],
];

/** Circles the check tolerates (none: keep it that way); any other circle fails it. */
export const KNOWN_CIRCLES = [];

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*'([^']+)'|(?:^|[\s;])import\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...tsFiles(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The unit a file belongs to: `bench`, a folder of src/ (`ledger`), or a top-level file of src/ (`app`). */
function unitOf(file) {
  const parts = file.split('/');
  if (parts[0] === 'bench') return 'bench';
  return parts.length === 2 ? parts[1].replace(/\.ts$/, '') : parts[1];
}

/** Relative imports of every .ts file under src/ and bench/, as paths from the root. */
export function importGraph(root) {
  const graph = new Map();
  for (const top of ['src', 'bench']) {
    let files;
    try {
      files = tsFiles(join(root, top));
    } catch {
      continue;
    }
    for (const full of files) {
      const file = relative(root, full).split('\\').join('/');
      const targets = [];
      for (const m of readFileSync(full, 'utf8').matchAll(IMPORT)) {
        const spec = m[1] ?? m[2] ?? m[3];
        if (!spec.startsWith('.')) continue;
        const target = relative(root, resolve(dirname(full), spec))
          .split('\\')
          .join('/');
        targets.push(target.replace(/\.js$/, '.ts'));
      }
      graph.set(file, targets);
    }
  }
  return graph;
}

/** Circles of files (strongly connected components of more than one file), each sorted. */
export function circles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Every violation of the layers and every unknown circle, as lines of text. */
export function violations(root) {
  const layerOf = new Map(LAYERS.flatMap((units, i) => units.map((u) => [u, i])));
  const graph = importGraph(root);
  const out = [];
  for (const [file, targets] of graph) {
    const from = unitOf(file);
    const mine = layerOf.get(from);
    if (mine === undefined) {
      out.push(
        `${file}: ${from} has no layer (add it to LAYERS in scripts/check-layers.mjs and docs/architecture.md)`,
      );
      continue;
    }
    for (const target of targets) {
      if (!target.startsWith('src/') && !target.startsWith('bench/')) {
        out.push(`${file} imports ${target}, outside src/ and bench/`);
        continue;
      }
      const to = unitOf(target);
      if (to === from) continue;
      const theirs = layerOf.get(to);
      if (theirs === undefined || theirs >= mine) {
        out.push(
          `${file} imports ${target}: ${from} may not import ${to} (${theirs === mine ? 'same layer' : 'higher layer'})`,
        );
      }
    }
  }
  const known = new Set(KNOWN_CIRCLES.map((c) => [...c].sort().join(' ')));
  for (const circle of circles(graph)) {
    if (!known.has(circle.join(' '))) out.push(`import circle: ${circle.join(' → ')}`);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(process.argv[2] ?? '.');
  const found = violations(root);
  for (const line of found) console.error(line);
  if (found.length > 0) {
    console.error(`${found.length} layering violation(s); see docs/architecture.md ("Layers").`);
    process.exit(1);
  }
  console.log(`layers: ${importGraph(root).size} files, no violation`);
}
