/** pino's numeric levels as a person reads them. */
const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** Fields every line has, shown in the line's head (or not at all) rather than as key=value. */
const HEAD_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'err']);

function valueText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return typeof value === 'string' && /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/**
 * One pino JSON line as a person reads it on a terminal: `12:00:01.250 INFO  msg key=value`, then an
 * error's stack. A line that is not pino's JSON is passed on as it is.
 */
export function prettyLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (entry === null || typeof entry !== 'object' || typeof entry['level'] !== 'number') return line;
  const time = typeof entry['time'] === 'number' ? new Date(entry['time']).toISOString().slice(11, 23) : '';
  const level = (LEVEL_NAMES[entry['level']] ?? String(entry['level'])).padEnd(5);
  const rest = Object.entries(entry)
    .filter(([k]) => !HEAD_FIELDS.has(k))
    .map(([k, v]) => `${k}=${valueText(v)}`);
  const head = [time, level, typeof entry['msg'] === 'string' ? entry['msg'] : '', ...rest]
    .filter(Boolean)
    .join(' ');
  const err = entry['err'] as { stack?: unknown; message?: unknown } | undefined;
  const errText =
    typeof err?.stack === 'string'
      ? err.stack
      : typeof err?.message === 'string'
        ? err.message
        : JSON.stringify(err);
  const detail = err === undefined ? '' : `\n  ${errText.replace(/\n/g, '\n  ')}`;
  return `${head}${detail}`;
}

/** A pino destination that writes each JSON line pretty (prettyLogLine) to `out`, for a terminal. */
export function prettyLogStream(out: { write(text: string): unknown }): { write(text: string): void } {
  return {
    write(text) {
      for (const line of text.split('\n')) if (line !== '') out.write(`${prettyLogLine(line)}\n`);
    },
  };
}
