import { randomBytes } from 'node:crypto';
import { hashApiToken, hashPassword } from '../../auth/secrets.js';
import { UsageError, type CliCommand, type CliIo } from '../command.js';
import { HiddenInput } from '../hidden-input.js';

const maxSecretBytes = 4096;

/** A new random API token: 256 bits, URL-safe. */
export function generateApiToken(): string {
  return `clr_${randomBytes(32).toString('base64url')}`;
}

/** The shortest secrets accepted, in characters: a guessable one would make its hash useless. */
export const minimumLength = { apiToken: 20, password: 12 } as const;

async function readPiped(io: CliIo): Promise<string> {
  if (!io.stdin) throw new UsageError('no standard input to read the secret from; use --generate');
  let text = '';
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.length > maxSecretBytes)
      throw new UsageError('the input is too long for a token or password');
  }
  return text.replace(/\r?\n$/, '');
}

/** Reads the secret twice from a terminal, echo off; undefined (after saying why) when they differ. */
async function readTyped(
  stdin: NonNullable<CliIo['stdin']>,
  io: CliIo,
  what: string,
): Promise<string | undefined> {
  const input = new HiddenInput(stdin);
  try {
    const first = (await input.line(`${what} (not shown): `, io.stderr)) ?? '';
    if (first === '') return first;
    const again = await input.line(`${what} again: `, io.stderr);
    if (again === first) return first;
    io.stderr.write('clearance hash-token: the two entries differ; nothing printed\n');
    return undefined;
  } finally {
    await input.close();
  }
}

function checkSecret(secret: string, minimum: number, what: string): string | undefined {
  if (secret === '') throw new UsageError('read nothing from standard input');
  if (/[\r\n]/.test(secret)) throw new UsageError('expected one line on standard input');
  const length = [...secret].length;
  if (length < minimum) {
    return `clearance hash-token: ${what} is too short: ${length} characters, at least ${minimum} needed; nothing printed\n`;
  }
  return undefined;
}

export const command: CliCommand = {
  name: 'hash-token',
  usage: 'hash-token [--generate] [--api-token] [--password]',
  summary: 'Print the config lines for an API token or a console password (read from stdin).',
  details: [
    'Reads one line from standard input and prints what goes into a user of the service config;',
    'the secret itself never goes there. By default the input is an API token (apiTokenSha256);',
    'with --password it is a console password (passwordHash); give both flags for both lines.',
    'Typed on a terminal, the secret is not shown and is asked twice; piped in, it is read as is.',
    `An API token needs at least ${minimumLength.apiToken} characters, a password ${minimumLength.password}.`,
    'With --generate a new random API token is made: it is shown once on stderr.',
    '',
    '  printf %s "$TOKEN" | clearance hash-token',
    '  clearance hash-token --password < password.txt',
  ].join('\n'),
  options: {
    generate: {
      type: 'boolean',
      description: 'Make a new random API token instead of reading one',
    },
    'api-token': { type: 'boolean', description: 'Print apiTokenSha256 (the default)' },
    password: {
      type: 'boolean',
      description: 'Print passwordHash (scrypt) for a console password',
    },
  },
  async run({ options, io }) {
    const wantsPassword = options.flag('password');
    const wantsToken = options.flag('api-token') || !wantsPassword;
    if (options.flag('generate') && wantsPassword) {
      throw new UsageError(
        '--generate makes API tokens; choose console passwords yourself and use --password',
      );
    }
    let secret: string;
    if (options.flag('generate')) {
      secret = generateApiToken();
      io.stderr.write(
        `New API token (shown once; give it to its user, keep it out of the config):\n${secret}\n`,
      );
    } else {
      const what = wantsPassword ? 'the console password' : 'the API token';
      const read =
        io.stdin?.isTTY === true
          ? await readTyped(io.stdin, io, wantsPassword ? 'Password' : 'API token')
          : await readPiped(io);
      if (read === undefined) return 1;
      const minimum = Math.max(
        wantsToken ? minimumLength.apiToken : 0,
        wantsPassword ? minimumLength.password : 0,
      );
      const tooShort = checkSecret(read, minimum, what);
      if (tooShort) {
        io.stderr.write(tooShort);
        return 1;
      }
      secret = read;
    }
    const lines: string[] = [];
    if (wantsToken) lines.push(`apiTokenSha256: ${hashApiToken(secret)}`);
    if (wantsPassword) lines.push(`passwordHash: ${await hashPassword(secret)}`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
