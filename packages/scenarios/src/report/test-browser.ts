// A real headless Chromium for the report tests, with nothing installed outside npm: the binary shipped
// (brotli-compressed) in @sparticuz/chromium, driven by puppeteer-core. CHROME_PATH may name a system
// Chromium instead. The binary, the NSS libraries it links, its GL libraries and fonts are unpacked once per package version into
// the OS temp directory; a unique staging directory renamed into place keeps concurrent runs from ever
// seeing a half-written binary.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser } from 'puppeteer-core';

export interface PackagedChromium {
  readonly executablePath: string;
  /** Extra environment for the child: the bundled NSS libraries and a fontconfig that needs no /etc/fonts. */
  readonly env: Readonly<Record<string, string>>;
}

/** Regular files and directories of an uncompressed ustar archive (all @sparticuz/chromium's tarballs hold). */
function untar(archive: Buffer, into: string): void {
  for (let at = 0; at + 512 <= archive.length; ) {
    const header = archive.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, len: number): string => header.subarray(from, from + len).toString('utf8').replace(/\0.*$/s, '');
    const name = [field(345, 155), field(0, 100)].filter((s) => s !== '').join('/');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const target = join(into, name);
    if (name.split('/').includes('..')) throw new Error(`refusing tar entry outside its directory: ${name}`);
    if (type === '5') mkdirSync(target, { recursive: true });
    else if (type === '0' || type === '') {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, archive.subarray(at + 512, at + 512 + size));
      chmodSync(target, Number.parseInt(field(100, 8).trim() || '644', 8) & 0o755);
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

export function packagedChromium(): PackagedChromium {
  const require = createRequire(import.meta.url);
  const pkgDir = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..');
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const dir = join(tmpdir(), `vgicsim-chromium-${version}`);
  if (!existsSync(join(dir, 'chromium'))) {
    const staging = mkdtempSync(`${dir}.staging-`);
    const inflate = (file: string): Buffer => brotliDecompressSync(readFileSync(join(pkgDir, 'bin', file)));
    untar(inflate('al2023.tar.br'), staging);
    untar(inflate('fonts.tar.br'), staging);
    // SwiftShader's GL libraries beside the binary: the in-process GPU thread aborts Chromium without them.
    untar(inflate('swiftshader.tar.br'), staging);
    writeFileSync(join(staging, 'fonts.conf'), `<?xml version="1.0"?>\n<fontconfig><dir>${join(dir, 'fonts')}</dir><cachedir>${join(dir, 'fonts-cache')}</cachedir></fontconfig>\n`);
    // The binary last: its presence is what marks the directory complete.
    writeFileSync(join(staging, 'chromium'), inflate('chromium.br'), { mode: 0o755 });
    try {
      renameSync(staging, dir);
    } catch {
      // Another run won the race; its copy is complete (renamed whole), so this one is dropped.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { executablePath: join(dir, 'chromium'), env: { LD_LIBRARY_PATH: join(dir, 'lib'), FONTCONFIG_PATH: dir } };
}

/** Launches headless Chromium: CHROME_PATH when set, else the packaged one. No network is ever needed. */
export async function launchChromium(): Promise<Browser> {
  const system = process.env['CHROME_PATH'];
  const bin = system !== undefined && system !== '' ? { executablePath: system, env: {} } : packagedChromium();
  chromium.setGraphicsMode = false;
  const args = [
    ...chromium.args,
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    // Root (CI containers) cannot use Chromium's sandbox; @sparticuz's list has it too, kept explicit here.
    '--no-sandbox',
  ];
  return puppeteer.launch({
    executablePath: bin.executablePath,
    headless: 'shell',
    args,
    env: { ...process.env, ...bin.env },
    timeout: 60_000,
  });
}
