import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import { loadConfig } from '../../config/load-config.js';
import { verifyAuditDir, type AuditDirVerification } from '../../service/verify-audit-dir.js';
import { verifyAuditExport, type AuditExportOptions } from '../../service/verify-audit-export.js';
import { verifyAuditStore } from '../../service/verify-audit-store.js';
import { databaseUrlOf } from '../../store/open-store.js';
import { UsageError, type CliCommand, type CliIo, type Settings } from '../command.js';
import { settingOptions } from '../settings.js';

const shownProblems = 20;

/** The exit codes of `audit verify`, as its help and the README give them. */
export const auditVerifyExit = { intact: 0, notIntact: 1, noTrail: 3 } as const;

async function readJwks(path: string): Promise<JSONWebKeySet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`--jwks: cannot read ${path}`);
  }
  try {
    const value = JSON.parse(text) as { keys?: unknown };
    if (Array.isArray(value.keys)) return value as JSONWebKeySet;
  } catch {
    // reported below
  }
  throw new UsageError(`--jwks: ${path} does not hold a JSON Web Key Set ({"keys": [...]})`);
}

/**
 * The checkpoints an anchor kept, one a line: a compact JWS, or a body of the `json` webhook
 * format (`{"checkpoint": {"jws": ...}}`). Blank lines are skipped.
 */
async function readAnchored(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`--anchor: cannot read ${path}`);
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line, i) => {
      if (!line.startsWith('{')) return line;
      try {
        const jws = (JSON.parse(line) as { checkpoint?: { jws?: unknown } }).checkpoint?.jws;
        if (typeof jws === 'string') return jws;
      } catch {
        // reported below
      }
      throw new UsageError(`--anchor: line ${i + 1} of ${path} holds no checkpoint`);
    });
}

/** The text of an export to verify. */
async function readExport(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`--file: cannot read ${path}`);
  }
}

/** Verifies the trail and checkpoints the PostgreSQL database at `url` keeps. */
async function verifyDatabase(
  url: string,
  options: AuditExportOptions,
): Promise<{ where: string; result: AuditDirVerification }> {
  const { openPostgresStore } = await import('../../store/postgres-store.js');
  const store = await openPostgresStore({ url, log: () => {} });
  try {
    return {
      where: `PostgreSQL at ${store.target}`,
      result: await verifyAuditStore(store, options),
    };
  } finally {
    await store.close();
  }
}

/** The database to verify: none with --data-dir given or no database configured. */
function databaseToVerify(
  explicitDir: string | undefined,
  settings: Settings,
  env: CliIo['env'],
): string | undefined {
  if (explicitDir !== undefined) return undefined;
  const config = settings.configPath === undefined ? {} : loadConfig(settings.configPath);
  return databaseUrlOf(config, env);
}

function printSignatures(result: AuditDirVerification, out: CliIo['stdout']): void {
  const restored = result.fromJournal ?? 0;
  if (restored > 0) {
    const entries = `${restored} entr${restored === 1 ? 'y' : 'ies'}`;
    out.write(
      `  note: the last ${entries} had not reached audit.jsonl (a crash); verified from journal.jsonl, which holds them, and written back when the service next opens the store\n`,
    );
  }
  const s = result.signatures;
  if (!s) return;
  const whose = {
    given: 'the keys given with --jwks',
    export: 'the keys the export carries',
    database: 'the keys the database records',
    'data directory': 'the keys the data directory records',
  }[s.keys];
  const through = s.signedThrough > 0 ? `, signed through seq ${s.signedThrough}` : '';
  const count = `${s.checkpoints} signed checkpoint${s.checkpoints === 1 ? '' : 's'}`;
  out.write(`  ${count} checked with ${whose}${through}\n`);
  for (const note of s.notes) out.write(`  note: ${note}\n`);
}

export const command: CliCommand = {
  name: 'audit verify',
  usage:
    'audit verify [--data-dir DIR | --file EXPORT | --config FILE] [--jwks FILE] [--anchor FILE] [--json]',
  summary:
    'Check that the audit trail of a data directory or database was not edited, reordered, cut or extended.',
  details: [
    'Reads the files directly (safe while the service runs). Checks the hash chain, the head',
    "the store recorded, and the checkpoints of the head signed with the service's key",
    '(audit-checkpoints.log): a trail someone re-hashed without the key fails. The signatures',
    'are checked with the public keys the data directory records (audit-keys.json), or only',
    'with those of --jwks FILE (e.g. the JWKS the service published, kept elsewhere): whoever',
    'can write the data directory can replace its keys, not yours. A tail cut off together with',
    'its checkpoints shows only against checkpoints kept elsewhere: --anchor FILE takes what an',
    'anchor webhook (event audit.checkpoint) received, one JWS or JSON body a line.',
    'The last entries audit.jsonl lacks after a crash are verified from journal.jsonl, which',
    'commits them (the service writes them back when it next opens the store); a note says so.',
    '',
    'With --file, checks an export instead (GET /v1/audit/export, the console\'s "Export the',
    'whole trail" link, or `clearance audit export --verifiable`): its entries, and the signed',
    'checkpoints and keys it carries; no data directory is needed. --jwks and --anchor apply too.',
    '',
    "On PostgreSQL (DATABASE_URL or the config's databaseUrl, unless --data-dir is given), checks",
    "the database's trail against the signed checkpoints and keys the database keeps, which all",
    'replicas share; at least one checkpoint must cover the trail.',
    '',
    'Exit codes:',
    `  ${auditVerifyExit.intact}  the trail is intact`,
    `  ${auditVerifyExit.notIntact}  the trail is NOT intact (edited, reordered, cut, extended or unsigned), or the command`,
    '     could not run (a usage error says so and points to --help)',
    `  ${auditVerifyExit.noTrail}  there is no trail to verify: the directory holds no db.json, no audit.jsonl and no`,
    '     checkpoints (a wrong --data-dir or CLEARANCE_DATA_DIR); checkpoints without their trail are 1',
  ].join('\n'),
  options: {
    'data-dir': settingOptions['data-dir'],
    config: settingOptions.config,
    file: {
      type: 'string',
      arg: 'EXPORT',
      description:
        'Verify this export of the trail (with its checkpoints) instead of a data directory',
    },
    jwks: {
      type: 'string',
      arg: 'FILE',
      description: 'Check the signed checkpoints with these public keys only',
    },
    anchor: {
      type: 'string',
      arg: 'FILE',
      description: 'Checkpoints an anchor webhook received: the trail must reach each one',
    },
    json: { type: 'boolean', description: 'Print the verification as JSON' },
  },
  async run({ options, settings, io }) {
    const jwksPath = options.string('jwks');
    const jwks = jwksPath === undefined ? undefined : await readJwks(jwksPath);
    const anchorPath = options.string('anchor');
    const anchored = anchorPath === undefined ? [] : await readAnchored(anchorPath);
    const file = options.string('file');
    const exported = file === undefined ? undefined : await readExport(file);
    const url =
      file === undefined
        ? databaseToVerify(options.string('data-dir'), settings, io.env)
        : undefined;
    let where = file ?? settings.dataDir;
    let result: AuditDirVerification;
    if (exported !== undefined) result = await verifyAuditExport(exported, { anchored, jwks });
    else if (url !== undefined) ({ where, result } = await verifyDatabase(url, { anchored, jwks }));
    else
      result = await verifyAuditDir(settings.dataDir, { requireSignatures: true, anchored, jwks });
    if (options.flag('json')) {
      const source =
        file !== undefined
          ? { file }
          : url !== undefined
            ? { database: where }
            : { dataDir: where };
      io.stdout.write(`${JSON.stringify({ ...source, ...result }, null, 2)}\n`);
      return result.ok
        ? auditVerifyExit.intact
        : result.noTrail
          ? auditVerifyExit.noTrail
          : auditVerifyExit.notIntact;
    }
    if (result.noTrail && url !== undefined) {
      io.stderr.write(`no audit trail in ${where}: it holds no audit entry (check DATABASE_URL)\n`);
      return auditVerifyExit.noTrail;
    }
    if (result.noTrail) {
      io.stderr.write(
        `no audit trail in ${settings.dataDir}: neither db.json nor audit.jsonl is there (check --data-dir or CLEARANCE_DATA_DIR)\n`,
      );
      return auditVerifyExit.noTrail;
    }
    if (result.ok) {
      io.stdout.write(`audit trail intact: ${result.count} entries in ${where}\n`);
      printSignatures(result, io.stdout);
      return auditVerifyExit.intact;
    }
    const n = result.problems.length;
    io.stderr.write(`audit trail NOT intact: ${n} problem${n === 1 ? '' : 's'} in ${where}\n`);
    for (const problem of result.problems.slice(0, shownProblems))
      io.stderr.write(`  ${problem.kind}: ${problem.message}\n`);
    if (n > shownProblems)
      io.stderr.write(`  … and ${n - shownProblems} more (use --json for all)\n`);
    printSignatures(result, io.stderr);
    return auditVerifyExit.notIntact;
  },
};
