import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ClearanceError } from '@clearance/client';
import { serviceConfigSchema, type ServiceConfig } from './config-schema.js';
import { describeIssues } from './zod-issues.js';

/** Validates a configuration object; errors name the source, each key path and what was expected. */
export function validateConfig(value: unknown, source: string): ServiceConfig {
  const parsed = serviceConfigSchema.safeParse(value);
  if (!parsed.success) {
    const lines = describeIssues(parsed.error);
    throw new ClearanceError(
      'ERR_CONFIG',
      `${source}: invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`,
      { problems: lines },
    );
  }
  return parsed.data;
}

/**
 * Validates configuration text. `source` names the file in error messages, and relative
 * paths inside the config (signingKeyFile) are resolved against its folder.
 */
export function parseConfig(text: string, source: string): ServiceConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const where = first?.linePos?.[0] ? `line ${first.linePos[0].line}` : 'YAML';
    const what = first?.message.split('\n')[0] ?? 'unreadable YAML';
    throw new ClearanceError('ERR_CONFIG', `${source}: ${where}: ${what}`);
  }
  const config = validateConfig(doc.toJS() ?? {}, source);
  if (config.signingKeyFile !== undefined) {
    config.signingKeyFile = resolve(dirname(source), config.signingKeyFile);
  }
  return config;
}

/** Reads and validates the service's YAML config file; errors name the file, key and expectation. */
export function loadConfig(path: string): ServiceConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err);
    throw new ClearanceError('ERR_CONFIG', `${path}: cannot read the config file (${why})`);
  }
  return parseConfig(text, path);
}
