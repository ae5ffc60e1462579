// Every output location of a command is checked before any simulation starts (README "The contract"):
// an unwritable path must cost nothing and never waste an exploration. `-` is stdout; a path ending in `/`
// or naming a directory is refused; two outputs may not name the same file, nor the command's input.
import { accessSync, constants, fstatSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { outputKind } from '@vgicsim/scenarios';
import { UsageError } from './errors.js';

/** The value of an output flag meaning "write to standard output". */
export const STDOUT_PATH = '-';

export interface OutputRequest {
  /** Flag name without dashes, e.g. 'trace'. */
  readonly flag: string;
  readonly path: string | undefined;
}

export interface InputFile {
  /** How the input is named in messages, e.g. 'the replay file'. */
  readonly label: string;
  readonly path: string;
}

const FILE_ACCEPTED = 'accepted: a file path in an existing, writable directory, a writable device, or - for stdout';

/** Identity of a path for "same file" checks: device and inode when it exists, else its canonical path. */
function identity(path: string): string {
  const abs = resolve(path);
  try {
    const st = statSync(abs);
    return `inode:${st.dev}:${st.ino}`;
  } catch {
    let dir: string;
    try {
      dir = realpathSync(dirname(abs));
    } catch {
      dir = dirname(abs);
    }
    return `path:${dir}/${basename(abs)}`;
  }
}

function checkOneFile(flag: string, path: string): void {
  if (path === '') throw new UsageError({ problem: `--${flag} needs a file name`, accepted: FILE_ACCEPTED, received: path });
  if (path.endsWith('/') || basename(path) === '.' || basename(path) === '..') {
    throw new UsageError({ problem: `--${flag} names a directory (trailing /)`, accepted: FILE_ACCEPTED, received: path });
  }
  const abs = resolve(path);
  const kind = outputKind(abs);
  if (kind === 'directory') throw new UsageError({ problem: `--${flag} names a directory`, accepted: FILE_ACCEPTED, received: path });
  if (kind !== 'new') {
    // An existing file, device or link target must itself be writable: it is replaced or written in place.
    try {
      accessSync(abs, constants.W_OK);
    } catch {
      throw new UsageError({ problem: `--${flag}: the file is not writable`, accepted: FILE_ACCEPTED, received: path });
    }
  }
  if (kind === 'in-place') return;
  const dir = dirname(kind === 'regular' ? realpathSync(abs) : abs);
  let dirOk = false;
  try {
    dirOk = statSync(dir).isDirectory();
  } catch {
    dirOk = false;
  }
  if (!dirOk) throw new UsageError({ problem: `--${flag}: the directory does not exist`, accepted: FILE_ACCEPTED, received: path });
  try {
    // The temporary file is created beside the target, so the directory must be writable and searchable.
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError({ problem: `--${flag}: cannot write there`, accepted: FILE_ACCEPTED, received: path });
  }
}

/**
 * Checks every output file of one command and returns the given paths (undefined stays undefined).
 * @param jsonOnStdout the command prints JSON on stdout, so no output may be `-` as well.
 * @throws UsageError naming the flag and the path.
 */
export function checkOutputFiles(outputs: readonly OutputRequest[], inputs: readonly InputFile[], jsonOnStdout: boolean): void {
  const given = outputs.filter((o): o is { flag: string; path: string } => o.path !== undefined);
  const toStdout = given.filter((o) => o.path === STDOUT_PATH);
  if (toStdout.length > 1) {
    throw new UsageError({
      problem: `--${toStdout[0]?.flag ?? ''} and --${toStdout[1]?.flag ?? ''} both write to stdout`,
      accepted: 'accepted: at most one output as -',
      received: STDOUT_PATH,
    });
  }
  const first = toStdout[0];
  if (first !== undefined && jsonOnStdout) {
    throw new UsageError({ problem: `--json and --${first.flag} - both write to stdout`, accepted: `accepted: --json, or --${first.flag} -, not both`, received: STDOUT_PATH });
  }
  const seen = new Map<string, string>();
  for (const input of inputs) seen.set(identity(input.path), input.label);
  for (const o of given) {
    if (o.path === STDOUT_PATH) continue;
    checkOneFile(o.flag, o.path);
    const id = identity(o.path);
    const clash = seen.get(id);
    if (clash !== undefined) {
      throw new UsageError({ problem: `--${o.flag} names the same file as ${clash}`, accepted: 'accepted: a different file for each output, never the input', received: o.path });
    }
    seen.set(id, `--${o.flag}`);
  }
}

/**
 * `/dev/stdout`, `/proc/self/fd/1` or the very file stdout is redirected to is stdout: it is treated as `-`
 * (so the report moves to stderr and --json refuses it) instead of two writers sharing one file.
 */
export function stdoutAlias(path: string | undefined): string | undefined {
  if (path === undefined || path === STDOUT_PATH) return path;
  try {
    const out = fstatSync(1);
    const st = statSync(resolve(path));
    return out.dev === st.dev && out.ino === st.ino ? STDOUT_PATH : path;
  } catch {
    return path;
  }
}

/** Whether any of the outputs goes to stdout. */
export function writesStdout(outputs: readonly OutputRequest[]): boolean {
  return outputs.some((o) => o.path === STDOUT_PATH);
}

const DIR_ACCEPTED = 'accepted: a writable directory, or a path where one can be created';

/**
 * `explore --out DIR`: creates DIR if missing and checks it is a writable directory, before exploring.
 * Returns the absolute path.
 */
export function prepareOutputDir(flag: string, path: string): string {
  if (path === '' || path === STDOUT_PATH) throw new UsageError({ problem: `--${flag} needs a directory`, accepted: DIR_ACCEPTED, received: path });
  const abs = resolve(path);
  const kind = outputKind(abs);
  if (kind !== 'new' && kind !== 'directory') throw new UsageError({ problem: `--${flag} names a file, not a directory`, accepted: DIR_ACCEPTED, received: path });
  try {
    mkdirSync(abs, { recursive: true });
  } catch {
    throw new UsageError({ problem: `--${flag}: cannot create the directory`, accepted: DIR_ACCEPTED, received: path });
  }
  try {
    accessSync(abs, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError({ problem: `--${flag}: the directory is not writable`, accepted: DIR_ACCEPTED, received: path });
  }
  return abs;
}
