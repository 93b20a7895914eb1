import { describe, expect, it } from 'vitest';
import { parseCommandArgs, wantsHelp } from './args.js';
import type { CliCommand } from './command.js';

const command: CliCommand = {
  name: 'demo',
  usage: 'demo',
  summary: 'demo',
  options: {
    reason: { type: 'string', description: 'why' },
    json: { type: 'boolean', description: 'json' },
    tag: { type: 'string', multiple: true, description: 'tags' },
  },
  run: () => Promise.resolve(0),
};

describe('parseCommandArgs', () => {
  it('gives typed access to the values', () => {
    const { options, positionals } = parseCommandArgs({ ...command, positionals: true }, [
      'x',
      '--reason',
      'because',
      '--json',
      '--tag',
      'a',
      '--tag',
      'b',
    ]);
    expect(positionals).toEqual(['x']);
    expect(options.string('reason')).toBe('because');
    expect(options.flag('json')).toBe(true);
    expect(options.strings('tag')).toEqual(['a', 'b']);
    expect(options.string('missing')).toBeUndefined();
  });

  it('turns parse errors into short plain messages', () => {
    const cases: [string[], string][] = [
      [['--nope'], 'unknown option --nope'],
      [['--reason'], '--reason needs a value'],
      [
        ['--reason', '--json'],
        '--reason needs a value (write --reason=VALUE when the value starts with a dash)',
      ],
      [['--json=yes'], '--json takes no value'],
      [['stray'], 'unexpected argument "stray"'],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseCommandArgs(command, argv), argv.join(' ')).toThrow(
        expect.objectContaining({ name: 'UsageError', message }),
      );
    }
  });
});

describe('wantsHelp', () => {
  it('sees --help and -h, but not after --', () => {
    expect(wantsHelp(['x', '--help'])).toBe(true);
    expect(wantsHelp(['-h'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
    expect(wantsHelp(['--reason', 'x'])).toBe(false);
  });
});
