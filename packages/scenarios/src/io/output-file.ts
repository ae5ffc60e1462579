// The one writer of every output file (replay files, traces, SVG and HTML pictures, bench results).
// A regular file (or a symlink to one) is replaced atomically: the bytes go to a temporary file beside the
// real target, are fsync'ed, and are renamed over it, so readers see the old file or the whole new one.
// Anything else that exists — a device such as /dev/null, a FIFO, a symlink to one such as /dev/stdout — is
// opened and written in place: renaming over it would replace the device node or the link with a regular
// file. Temporary files are tracked and removed on every exit path the process gets to run code on.
import { closeSync, fsyncSync, lstatSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** An output file could not be written: an input error of the user's environment, not a bug. */
export class AtomicWriteError extends Error {
  override readonly name = 'AtomicWriteError';
  readonly problem: string;
  readonly accepted = 'a path in an existing, writable directory (or a writable device such as /dev/null, or - for stdout)';
  readonly received: string;
  /** The errno code, e.g. ENOSPC, when the system gave one. */
  readonly code: string | undefined;
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const code = errnoCode(cause);
    const why = code ?? (cause instanceof Error ? cause.message : String(cause));
    super(`could not write ${path}: ${oneLine(why)}`, { cause });
    this.problem = `cannot write output file (${oneLine(why)})`;
    this.received = path;
    this.code = code;
  }
}

/** How an existing output path will be written. */
export type OutputKind = 'new' | 'regular' | 'in-place' | 'directory';

/** What writing to `path` will do: create it, replace a regular file atomically, or write a special file in place. */
export function outputKind(path: string): OutputKind {
  let link;
  try {
    link = lstatSync(path);
  } catch {
    return 'new';
  }
  if (link.isDirectory()) return 'directory';
  if (link.isFile()) return 'regular';
  if (!link.isSymbolicLink()) return 'in-place';
  try {
    const target = statSync(path);
    if (target.isDirectory()) return 'directory';
    return target.isFile() ? 'regular' : 'in-place';
  } catch {
    // A dangling link: writing through it creates its target, and replacing it would lose the link.
    return 'in-place';
  }
}

/** An output being written; exactly one of commit() or abandon() ends it. */
export interface OutputFile {
  /** The temporary file being written (null when written in place or to stdout). */
  readonly tempPath: string | null;
  write(chunk: string): void;
  /** Flushes and puts the file in place. */
  commit(): void;
  /** Removes the temporary file (a file written in place keeps what was written). */
  abandon(): void;
}

const pending = new Set<string>();
let exitHookInstalled = false;

/** Removes every temporary file not yet committed or abandoned (called on exit; safe to call twice). */
export function removePendingTempFiles(): void {
  for (const tmp of pending) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already gone.
    }
  }
  pending.clear();
}

/** Temporary files still open (for tests and signal handlers). */
export function pendingTempFiles(): readonly string[] {
  return [...pending];
}

function track(tmp: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' runs for process.exit(), a normal end and an uncaught exception; signal handlers call exit.
    process.on('exit', removePendingTempFiles);
  }
  pending.add(tmp);
}

export interface OpenOutputOptions {
  /**
   * Called with the temporary file's name before the file is created, e.g. to start something that
   * removes it should this process die by a signal's default action. Before, not after: a signal between
   * creating the file and that call would leave the file behind with nothing to remove it.
   */
  readonly beforeCreate?: (tempPath: string) => void;
}

/**
 * Opens `path` for writing by the rules above. The final target of a symlink to a regular file is
 * replaced (the link stays a link).
 * @throws AtomicWriteError when the file cannot be created or opened.
 */
export function openOutputFile(path: string, options: OpenOutputOptions = {}): OutputFile {
  const kind = outputKind(path);
  if (kind === 'directory') throw new AtomicWriteError(path, new Error('is a directory'));
  if (kind === 'in-place') return openInPlace(path);
  const target = kind === 'regular' ? realpathSync(path) : path;
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomUUID()}.tmp`);
  let fd: number | null;
  options.beforeCreate?.(tmp);
  try {
    fd = openSync(tmp, 'wx');
  } catch (e) {
    throw new AtomicWriteError(path, e);
  }
  track(tmp);
  const fail = (e: unknown): never => {
    close();
    drop();
    throw e instanceof AtomicWriteError ? e : new AtomicWriteError(path, e);
  };
  const close = (): void => {
    if (fd !== null) closeQuietly(fd);
    fd = null;
  };
  const drop = (): void => {
    pending.delete(tmp);
    try {
      unlinkSync(tmp);
    } catch {
      // Never created or already removed.
    }
  };
  return {
    tempPath: tmp,
    write(chunk) {
      if (fd === null) throw new AtomicWriteError(path, new Error('written after commit or abandon'));
      try {
        writeAll(fd, chunk);
      } catch (e) {
        fail(e);
      }
    },
    commit() {
      if (fd === null) return;
      try {
        fsyncSync(fd);
        closeSync(fd);
        fd = null;
        renameSync(tmp, target);
        pending.delete(tmp);
      } catch (e) {
        fail(e);
      }
    },
    abandon() {
      close();
      drop();
    },
  };
}

function openInPlace(path: string): OutputFile {
  let fd: number | null;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new AtomicWriteError(path, e);
  }
  const close = (): void => {
    if (fd !== null) closeQuietly(fd);
    fd = null;
  };
  return {
    tempPath: null,
    write(chunk) {
      if (fd === null) throw new AtomicWriteError(path, new Error('written after commit or abandon'));
      try {
        writeAll(fd, chunk);
      } catch (e) {
        close();
        throw new AtomicWriteError(path, e);
      }
    },
    // fsync is meaningless on a device or a pipe (EINVAL): closing is all there is.
    commit: close,
    abandon: close,
  };
}

/** Writes the whole of `text` to an opened output and commits it; a failed write abandons it (no temp file left). */
export function writeOutput(out: OutputFile, text: string): void {
  try {
    out.write(text);
  } catch (e) {
    out.abandon();
    throw e;
  }
  out.commit();
}

/** Writes the whole of `text` to `path` (atomically for a regular file); see openOutputFile. */
export function writeFileAtomic(path: string, text: string): void {
  writeOutput(openOutputFile(path), text);
}

/** Closing on a path that is already failing (or a device): the first error is the one to report. */
function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing more to do.
  }
}

/** writeSync may write less than asked to a pipe or a device. */
function writeAll(fd: number, chunk: string): void {
  const bytes = Buffer.from(chunk, 'utf8');
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

function errnoCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') return e.code;
  return undefined;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
