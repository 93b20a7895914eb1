import { describe, expect, it } from 'vitest';
import { parseNotifications, resolveWebhooks } from './notify-config.js';

const secret = 's'.repeat(32);

describe('parseNotifications', () => {
  it('fills in the defaults', () => {
    expect(parseNotifications(undefined)).toEqual({
      webhooks: [],
      retry: { attempts: 5, initialDelayMs: 1000, maxDelayMs: 60_000 },
      timeoutMs: 5000,
    });
  });

  it('names each mistake by its key', () => {
    const bad = {
      webhooks: [
        { name: 'a', format: 'slack' },
        { name: 'b', format: 'json', url: 'https://x.example' },
        { name: 'b', format: 'teams', url: 'https://x.example' },
        { name: 'c', format: 'slack', url: 'https://x.example', events: ['request.lost'] },
      ],
      retries: 3,
    };
    let message = '';
    try {
      parseNotifications(bad);
    } catch (err) {
      message = String(err);
    }
    expect(message).toContain(
      'notifications.webhooks[0].url: expected exactly one of url and urlEnv',
    );
    expect(message).toContain('notifications.webhooks[1].secretEnv: the json format is signed');
    expect(message).toContain('notifications.webhooks[2].format');
    expect(message).toContain('notifications.webhooks[3].events[0]');
    expect(message).toContain('notifications.retries: unknown field');
  });

  it('refuses two webhooks with one name', () => {
    const hook = { name: 'ops', format: 'slack', url: 'https://x.example' };
    expect(() => parseNotifications({ webhooks: [hook, hook] })).toThrow('"ops" is used twice');
  });
});

describe('resolveWebhooks', () => {
  const config = parseNotifications({
    webhooks: [
      { name: 'slack', format: 'slack', urlEnv: 'SLACK_URL', events: ['request.created'] },
      { name: 'ci', format: 'json', url: 'https://ci.example/hook', secretEnv: 'HOOK_SECRET' },
    ],
  });

  it('reads URLs and secrets from the environment, all events by default', () => {
    const [slack, ci] = resolveWebhooks(config, {
      SLACK_URL: 'https://hooks.slack.com/services/T/B/x',
      HOOK_SECRET: secret,
    });
    expect(slack).toMatchObject({
      url: 'https://hooks.slack.com/services/T/B/x',
      events: new Set(['request.created']),
    });
    expect(ci).toMatchObject({ url: 'https://ci.example/hook', secret });
    expect(ci?.events.size).toBe(7);
    expect(ci?.events.has('request.break-glass')).toBe(true);
    expect(ci?.events.has('audit.checkpoint')).toBe(false);
  });

  it('sends signed audit checkpoints only to a webhook that lists them', () => {
    const anchor = {
      name: 'anchor',
      format: 'json',
      url: 'https://anchor.example',
      secretEnv: 'S',
    };
    const [resolved] = resolveWebhooks(
      parseNotifications({ webhooks: [{ ...anchor, events: ['audit.checkpoint'] }] }),
      { S: secret },
    );
    expect(resolved?.events).toEqual(new Set(['audit.checkpoint']));
  });

  it('stops the start when a variable is missing, not a URL, or a weak secret, without showing it', () => {
    expect(() => resolveWebhooks(config, { HOOK_SECRET: secret })).toThrow(
      'notifications webhook "slack": the environment variable SLACK_URL is not set',
    );
    expect(() =>
      resolveWebhooks(config, { SLACK_URL: 'hooks.slack.com', HOOK_SECRET: secret }),
    ).toThrow('SLACK_URL does not hold an http(s) URL');
    const weak = () =>
      resolveWebhooks(config, { SLACK_URL: 'https://h.example', HOOK_SECRET: 'short-secret' });
    expect(weak).toThrow('the secret in HOOK_SECRET must be at least 32 characters');
    expect(weak).not.toThrow(/short-secret/);
  });
});
