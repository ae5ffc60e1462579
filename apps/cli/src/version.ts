// The CLI version, read from this package's package.json (one directory above both src/ and dist/).
import { readFileSync } from 'node:fs';

export function cliVersion(): string {
  const raw: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  if (typeof raw === 'object' && raw !== null && 'version' in raw && typeof raw.version === 'string') return raw.version;
  throw new Error('apps/cli/package.json has no version string');
}
