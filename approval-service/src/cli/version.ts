import { readFileSync } from 'node:fs';

/** The version of `@clearance/approval-service`, from its package.json (beside `src/` and `dist/`). */
export function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`no version in ${url.pathname}`);
  return pkg.version;
}
