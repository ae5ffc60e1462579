import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtomicWriteError, openOutputFile, outputKind, pendingTempFiles, writeFileAtomic } from './output-file.js';

describe('writeFileAtomic / openOutputFile', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vgicsim-out-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the whole text and leaves no temporary file', () => {
    const path = join(dir, 'fail.replay.json');
    writeFileAtomic(path, 'first\n');
    writeFileAtomic(path, 'second\n');
    expect(readFileSync(path, 'utf8')).toBe('second\n');
    expect(readdirSync(dir)).toEqual(['fail.replay.json']);
    expect(pendingTempFiles()).toEqual([]);
  });

  it('fails with a typed error naming the path, and leaves nothing behind, when the directory is missing', () => {
    const path = join(dir, 'no-such-dir', 'fail.replay.json');
    expect(() => { writeFileAtomic(path, 'x'); }).toThrow(AtomicWriteError);
    expect(() => { writeFileAtomic(path, 'x'); }).toThrow(path);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a directory target without touching it', () => {
    const path = join(dir, 'target');
    mkdirSync(join(path, 'occupied'), { recursive: true });
    expect(outputKind(path)).toBe('directory');
    expect(() => { writeFileAtomic(path, 'x'); }).toThrow(AtomicWriteError);
    expect(readdirSync(dir)).toEqual(['target']);
    expect(readdirSync(path)).toEqual(['occupied']);
  });

  it('beforeCreate sees the temporary name before that file exists (a signal guard must not come late)', () => {
    const path = join(dir, 'g.json');
    const seen: [string, boolean][] = [];
    const out = openOutputFile(path, { beforeCreate: (tmp) => seen.push([tmp, existsSync(tmp)]) });
    expect(seen).toEqual([[out.tempPath, false]]);
    expect(existsSync(out.tempPath ?? '')).toBe(true);
    out.abandon();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('streams into a hidden temporary file that only commit() puts in place; abandon() removes it', () => {
    const path = join(dir, 't.json');
    writeFileSync(path, 'old');
    const out = openOutputFile(path);
    out.write('new ');
    out.write('text');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(pendingTempFiles()).toHaveLength(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
    out.commit();
    expect(readFileSync(path, 'utf8')).toBe('new text');
    expect(readdirSync(dir)).toEqual(['t.json']);
    const again = openOutputFile(path);
    again.write('lost');
    again.abandon();
    expect(readFileSync(path, 'utf8')).toBe('new text');
    expect(readdirSync(dir)).toEqual(['t.json']);
    expect(pendingTempFiles()).toEqual([]);
  });

  it('replaces the target of a symlink to a regular file and keeps the link', () => {
    const real = join(dir, 'real.svg');
    const link = join(dir, 'link.svg');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    expect(outputKind(link)).toBe('regular');
    writeFileAtomic(link, 'new');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(readdirSync(dir).sort()).toEqual(['link.svg', 'real.svg']);
  });

  it('writes a device in place: a null device stays a character device', () => {
    // A private copy of /dev/null (root only), so that a regression cannot replace the system's own node.
    const dev = join(dir, 'null');
    try {
      execFileSync('mknod', [dev, 'c', '1', '3'], { stdio: 'ignore' });
    } catch {
      return; // not root: nothing to test without touching /dev/null itself
    }
    expect(outputKind(dev)).toBe('in-place');
    writeFileAtomic(dev, 'discarded');
    expect(statSync(dev).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['null']);
  });

  it('writes a FIFO in place (a reader sees the bytes; the FIFO stays a FIFO)', async () => {
    const fifo = join(dir, 'pipe');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo on this system
    }
    expect(outputKind(fifo)).toBe('in-place');
    const got = join(dir, 'got');
    const reader = spawn(process.execPath, ['-e', `const fs = require('fs'); fs.writeFileSync(${JSON.stringify(got)}, fs.readFileSync(${JSON.stringify(fifo)}))`]);
    const exited = new Promise((resolve) => reader.on('exit', resolve));
    writeFileAtomic(fifo, 'through the pipe');
    await exited;
    expect(readFileSync(got, 'utf8')).toBe('through the pipe');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a full device gives an AtomicWriteError with code ENOSPC', () => {
    if (!existsSync('/dev/full')) return;
    let error: unknown = null;
    try {
      writeFileAtomic('/dev/full', 'x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AtomicWriteError);
    expect((error as AtomicWriteError).code).toBe('ENOSPC');
    expect((error as AtomicWriteError).problem).toBe('cannot write output file (ENOSPC)');
  });
});
