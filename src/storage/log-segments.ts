import {
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  unlinkSync,
  writevSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Where the request journal's segments live (request-journal.ts): files in a folder, which every
 * process of one store shares, or buffers in memory for an in-memory store. Segments are named so
 * that their names sort oldest first.
 */
export interface LogSegments {
  /** The segments there are now, oldest first. */
  names(): string[];
  size(name: string): number;
  read(name: string, offset: number, length: number): Buffer;
  /** Appends the parts one after the other, in one write where the segment is a file. */
  append(name: string, parts: readonly Uint8Array[]): void;
  /** Cuts a segment back to `length` bytes (a record a writer that died left half written). */
  truncate(name: string, length: number): void;
  remove(name: string): void;
  /** Runs `write` while no other process of this store writes the journal. */
  exclusively<T>(write: () => T): T;
  close(): void;
}

/** How long a writer waits for another process's append before it gives up (the store's own bound). */
const LOCK_WAIT_MS = 5_000;

const SEGMENT_FILE = /^\d{16}\.log$/;

/**
 * Segments as files of a folder. Writes from several processes are ordered by a lock that SQLite
 * keeps on a small file of the folder (a `BEGIN IMMEDIATE` that writes nothing): Node has no file
 * lock of its own, and SQLite's goes with the process that holds it when that process dies.
 */
export function folderSegments(folder: string): LogSegments {
  mkdirSync(folder, { recursive: true });
  const lock = new Database(join(folder, 'lock'));
  lock.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
  const begin = lock.prepare('begin immediate');
  const commit = lock.prepare('commit');
  // One descriptor a segment, opened for appending: a read of a segment another process removed
  // still finds its bytes while the descriptor is open. Only an append creates a segment: a reader
  // must not bring back one that another process has just removed.
  const open = new Map<string, number>();
  function fd(name: string, create = false): number {
    let found = open.get(name);
    if (found === undefined) {
      found = openSync(join(folder, name), create ? 'a+' : constants.O_RDWR | constants.O_APPEND);
      open.set(name, found);
    }
    return found;
  }
  return {
    names() {
      const names = readdirSync(folder)
        .filter((n) => SEGMENT_FILE.test(n))
        .sort();
      for (const [name, descriptor] of open) {
        if (!names.includes(name)) {
          closeSync(descriptor);
          open.delete(name);
        }
      }
      return names;
    },
    size(name) {
      try {
        return fstatSync(fd(name)).size;
      } catch (err) {
        // Removed since it was listed: it holds nothing for this reader any more.
        if ((err as { code?: unknown }).code === 'ENOENT') return 0;
        throw err;
      }
    },
    read(name, offset, length) {
      const bytes = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd(name), bytes, done, length - done, offset + done);
        if (n === 0) throw new Error(`request journal: ${name} ends before byte ${offset + length}`);
        done += n;
      }
      return bytes;
    },
    append(name, parts) {
      const descriptor = fd(name, true);
      let rest = parts.filter((part) => part.length > 0);
      while (rest.length > 0) {
        let written = writevSync(descriptor, rest);
        // A short write: what is left of the part it stopped in, and the parts after it.
        while (rest.length > 0 && written >= (rest[0] as Uint8Array).length) {
          written -= (rest[0] as Uint8Array).length;
          rest = rest.slice(1);
        }
        if (written > 0) rest = [(rest[0] as Uint8Array).subarray(written), ...rest.slice(1)];
      }
    },
    truncate: (name, length) => ftruncateSync(fd(name), length),
    remove(name) {
      const descriptor = open.get(name);
      if (descriptor !== undefined) closeSync(descriptor);
      open.delete(name);
      unlinkSync(join(folder, name));
    },
    exclusively(write) {
      begin.run();
      try {
        return write();
      } finally {
        commit.run();
      }
    },
    close() {
      for (const descriptor of open.values()) closeSync(descriptor);
      open.clear();
      lock.close();
    },
  };
}

/** Segments in memory, for an in-memory store: one process, so nothing to lock. */
export function memorySegments(): LogSegments {
  const segments = new Map<string, { bytes: Buffer; size: number }>();
  function segment(name: string): { bytes: Buffer; size: number } {
    let found = segments.get(name);
    if (found === undefined) {
      found = { bytes: Buffer.alloc(0), size: 0 };
      segments.set(name, found);
    }
    return found;
  }
  return {
    names: () => [...segments.keys()].sort(),
    size: (name) => segment(name).size,
    read: (name, offset, length) => Buffer.from(segment(name).bytes.subarray(offset, offset + length)),
    append(name, parts) {
      const s = segment(name);
      const length = parts.reduce((sum, part) => sum + part.length, 0);
      if (s.size + length > s.bytes.length) {
        const grown = Buffer.alloc(Math.max(2 * s.bytes.length, s.size + length, 64 * 1024));
        s.bytes.copy(grown, 0, 0, s.size);
        s.bytes = grown;
      }
      for (const part of parts) {
        s.bytes.set(part, s.size);
        s.size += part.length;
      }
    },
    truncate(name, length) {
      segment(name).size = length;
    },
    remove: (name) => void segments.delete(name),
    exclusively: (write) => write(),
    close: () => segments.clear(),
  };
}

/** A segment's name for the first entry id it holds: 16 digits, so that names sort as ids do. */
export function segmentName(firstId: number): string {
  return `${String(firstId).padStart(16, '0')}.log`;
}
