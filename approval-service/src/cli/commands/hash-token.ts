import { randomBytes } from 'node:crypto';
import { hashApiToken, hashPassword } from '../../auth/secrets.js';
import { UsageError, type CliCommand, type CliIo } from '../command.js';

const maxSecretBytes = 4096;

/** A new random API token: 256 bits, URL-safe. */
export function generateApiToken(): string {
  return `clr_${randomBytes(32).toString('base64url')}`;
}

async function readSecret(io: CliIo): Promise<string> {
  if (!io.stdin) throw new UsageError('no standard input to read the secret from; use --generate');
  if (io.stdin.isTTY) io.stderr.write('Type the secret, then press Enter and Ctrl-D:\n');
  let text = '';
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.length > maxSecretBytes)
      throw new UsageError('the input is too long for a token or password');
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') throw new UsageError('read nothing from standard input');
  if (/[\r\n]/.test(secret)) throw new UsageError('expected one line on standard input');
  return secret;
}

export const command: CliCommand = {
  name: 'hash-token',
  usage: 'hash-token [--generate] [--api-token] [--password]',
  summary: 'Print the config lines for an API token or a console password (read from stdin).',
  details: [
    'Reads one line from standard input and prints what goes into a user of the service config;',
    'the secret itself never goes there. By default the input is an API token (apiTokenSha256);',
    'with --password it is a console password (passwordHash); give both flags for both lines.',
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
      secret = await readSecret(io);
    }
    const lines: string[] = [];
    if (wantsToken) lines.push(`apiTokenSha256: ${hashApiToken(secret)}`);
    if (wantsPassword) lines.push(`passwordHash: ${await hashPassword(secret)}`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
