import type { ConditionVerdict } from '@clearance/client';
import type { StatusConditionConfig } from '../config/context-schema.js';

/** What asking a status endpoint gave: a JSON answer, or why there was none. */
export type ProbeAnswer =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'malformed'; status: number }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'unreachable'; why: string };

/** The value at a dotted path (`$`, `$.a.b`, `$.items.0`), or undefined when there is none. */
export function valueAtPath(body: unknown, path: string): unknown {
  let value: unknown = body;
  for (const key of path.split('.').slice(1)) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function expectation(c: StatusConditionConfig): string {
  if (c.lessThan !== undefined) return `below ${c.lessThan}`;
  if (c.greaterThan !== undefined) return `above ${c.greaterThan}`;
  return JSON.stringify(c.equals);
}

function holds(c: StatusConditionConfig, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (c.lessThan !== undefined || c.greaterThan !== undefined) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    return c.lessThan !== undefined ? value < c.lessThan : value > (c.greaterThan ?? 0);
  }
  return value === c.equals;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Judges an endpoint's answer against the condition. Pure. `holds` is true or false when the
 * answer says so, and absent when there was no usable answer: a timeout, an unreachable
 * endpoint, a status other than 2xx, malformed JSON, or no (comparable) value at the path.
 * The message names the condition.
 */
export function judgeAnswer(
  condition: StatusConditionConfig,
  answer: ProbeAnswer,
  checkedAt: Date,
): ConditionVerdict {
  const at = checkedAt.toISOString();
  const named = `condition "${condition.name}"`;
  const unknown = (why: string): ConditionVerdict => ({
    condition: condition.name,
    message: `${named} could not be checked: ${why}`,
    checkedAt: at,
  });
  if (answer.kind === 'timeout') return unknown(`no answer within ${answer.afterMs} ms`);
  if (answer.kind === 'unreachable') return unknown(`the endpoint is unreachable (${answer.why})`);
  if (answer.status < 200 || answer.status > 299) return unknown(`HTTP ${answer.status}`);
  if (answer.kind === 'malformed') return unknown('the answer is not JSON');
  const value = valueAtPath(answer.body, condition.path);
  const verdict = holds(condition, value);
  if (verdict === undefined) {
    return unknown(
      `${condition.path} is ${shown(value)}, not comparable with ${expectation(condition)}`,
    );
  }
  return {
    condition: condition.name,
    holds: verdict,
    message: `${named} ${verdict ? 'holds' : 'does not hold'}: ${condition.path} is ${shown(value)}, expected ${expectation(condition)}`,
    checkedAt: at,
  };
}
