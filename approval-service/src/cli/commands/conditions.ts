import { systemClock } from '@clearance/client';
import { loadConfig } from '../../config/load-config.js';
import type { FreezeConfig } from '../../config/context-schema.js';
import { freezePeriods } from '../../domain/freezes.js';
import { ContextChecks } from '../../service/context-checks.js';
import { httpStatusProbe } from '../../service/status-probe.js';
import { UsageError, type CliCommand } from '../command.js';
import { settingOptions } from '../settings.js';

/** When the freeze's period that is on now ends, if one is. */
function activeUntil(freeze: FreezeConfig, now: Date): string | undefined {
  const [on] = freezePeriods(freeze, now, new Date(now.getTime() + 1000)).filter(
    (p) => p.start * 1000 <= now.getTime(),
  );
  return on && new Date(on.end * 1000).toISOString();
}

function freezeLine(freeze: FreezeConfig, now: Date): string {
  const until = activeUntil(freeze, now);
  const state = until ? `on until ${until}` : 'off';
  const when = `${freeze.repeat === 'none' ? 'once' : freeze.repeat} ${freeze.start} to ${freeze.end} ${freeze.timeZone}`;
  return `  ${freeze.name}  ${state}  (${when}; stacks ${freeze.stacks.join(', ')})\n`;
}

export const command: CliCommand = {
  name: 'conditions',
  usage: 'conditions [--config FILE] [--requester ID] [--json]',
  summary: 'List the configured freezes and conditions, and evaluate the conditions now.',
  details: [
    'Reads the service config and asks each status endpoint now, from this machine, with this',
    'environment (header values come from the variables the config names and are never shown).',
    'A condition whose URL names {requester} is asked for --requester ID, else skipped. Exits 0',
    'when every condition asked got an answer (holding or not), 1 when one could not be checked.',
  ].join('\n'),
  options: {
    config: settingOptions.config,
    requester: {
      type: 'string',
      arg: 'ID',
      description: 'The user id for conditions about the requester (on-call)',
    },
    json: { type: 'boolean', description: 'Print JSON: {freezes, conditions}' },
  },
  async run({ options, settings, io }) {
    if (settings.configPath === undefined) {
      throw new UsageError('no configuration: pass --config FILE or set CLEARANCE_CONFIG');
    }
    const config = loadConfig(settings.configPath);
    const now = systemClock.now();
    const requester = options.string('requester');
    const checks = new ContextChecks({
      config,
      clock: systemClock,
      probe: httpStatusProbe,
      env: io.env,
    });
    const results = await Promise.all(
      config.conditions.map(async (c) => {
        if (c.url.includes('{requester}') && requester === undefined) {
          return { condition: c.name, skipped: 'about the requester: give --requester ID' };
        }
        return (await checks.evaluate(c.name, { requester, fresh: true })).verdict;
      }),
    );
    const unanswered = results.some((r) => !('skipped' in r) && r.holds === undefined);
    if (options.flag('json')) {
      const freezes = config.freezes.map((f) => ({ ...f, activeUntil: activeUntil(f, now) }));
      io.stdout.write(`${JSON.stringify({ freezes, conditions: results }, null, 2)}\n`);
      return unanswered ? 1 : 0;
    }
    io.stdout.write(`Freezes (now ${now.toISOString()}):\n`);
    if (config.freezes.length === 0) io.stdout.write('  none\n');
    for (const f of config.freezes) io.stdout.write(freezeLine(f, now));
    io.stdout.write('Conditions:\n');
    if (results.length === 0) io.stdout.write('  none\n');
    for (const r of results) {
      if ('skipped' in r) {
        io.stdout.write(`  ${r.condition}  skipped  (${r.skipped})\n`);
        continue;
      }
      const verdict = r.holds === undefined ? 'UNCHECKED' : r.holds ? 'holds' : 'does not hold';
      io.stdout.write(`  ${r.condition}  ${verdict}  ${r.message}  (checked ${r.checkedAt})\n`);
    }
    return unanswered ? 1 : 0;
  },
};
