/**
 * `node dist/bench/profile-top.js <file.cpuprofile> [n]`: the n (default 25) call frames with the most
 * self time in a V8 CPU profile (as written by `BENCH_CPU_PROF=dir npm run bench`), in per cent of the
 * profiled time, idle included, with the share of "(idle)" and "(garbage collector)" shown as such.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { PROCESS_OUTPUT } from '../src/commands/command-output.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, count] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: profile-top.js <file.cpuprofile> [n]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const frameOf = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
const selfMicros = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const frame = frameOf.get(id);
  const delta = profile.timeDeltas[i] ?? 0;
  total += delta;
  if (frame === undefined) return;
  const where =
    frame.url === ''
      ? ''
      : ` ${relative(process.cwd(), new URL(frame.url).pathname)}:${frame.lineNumber + 1}`;
  const key = `${frame.functionName || '(anonymous)'}${where}`;
  selfMicros.set(key, (selfMicros.get(key) ?? 0) + delta);
});
const top = [...selfMicros].sort((x, y) => y[1] - x[1]).slice(0, Number(count ?? 25));
// Through the CLI's output, which ends quietly when its reader stops early (`| head`).
PROCESS_OUTPUT.stdout(`${(total / 1e6).toFixed(1)} s profiled\n`);
for (const [key, micros] of top)
  PROCESS_OUTPUT.stdout(`${((100 * micros) / total).toFixed(1).padStart(5)} %  ${key}\n`);
