import fc from 'fast-check';
import { jsonLimits } from '@clearance/client';
import { routes } from './route-table.case.js';

/**
 * Odd HTTP input for every route of the route table, as fast-check arbitraries: malformed
 * JSON, wrong types, oversized bodies, deep nesting, odd Unicode (lone surrogates, NUL, RTL
 * marks, overlong strings and invalid UTF-8), odd query strings and headers. An input only
 * describes what to send; `http-fuzz.case.ts` builds the request (so a 5 MB body is made
 * when it is sent, not when it is generated).
 */

/** Who sends it: with no credentials, a wrong one, or signed in (API token or console session). */
export type FuzzCaller = 'none' | 'badToken' | 'requester' | 'approver' | 'auditor';

/** A change to the route's valid body (JSON, or the console form's fields); `at` picks where. */
export type Mutation =
  | { op: 'set'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'add'; at: number; key: string; value: unknown };

export type FuzzBody =
  | { kind: 'mutated'; mutations: Mutation[] }
  | { kind: 'text'; text: string }
  /** The valid body's JSON text, cut after this many characters. */
  | { kind: 'truncated'; at: number }
  /** Raw bytes (invalid UTF-8 among them). */
  | { kind: 'bytes'; bytes: number[] }
  /** Arrays or objects nested `depth` deep, alone or in place of a field of the valid body. */
  | { kind: 'deep'; depth: number; shape: 'array' | 'object'; inBody: boolean }
  /** The valid body padded to `bytes` (by one long string, a long array or whitespace). */
  | { kind: 'oversized'; bytes: number; filler: 'string' | 'array' | 'whitespace' }
  /** A JSON value of the wrong shape altogether. */
  | { kind: 'json'; value: unknown };

export interface FuzzInput {
  /** A route of the route table, e.g. `POST /v1/requests/:pending/reviews`. */
  route: string;
  caller: FuzzCaller;
  /** Text in place of the request id of the path (percent-encoded as sent). */
  id?: string;
  /** The client address it comes from; `fresh`: one no other input used. */
  address: string;
  /** Appended to the query string as it is, malformed or not. */
  query?: string;
  /** POST routes: the body's content type, when not the route's own. */
  contentType?: string;
  /** Extra headers, set after the caller's (so they may replace its credentials). */
  headers: [string, string][];
  /** Console posts: the form token, as the session's, left out, or odd. */
  formToken: 'valid' | 'missing' | string;
  /** POST routes only. */
  body?: FuzzBody;
}

/** Characters that trip parsers, renderers and databases. */
const oddChars = [
  '\uD800', // lone high surrogate
  '\uDBFF',
  '\uDC00', // lone low surrogate
  '\uDFFF',
  '\u0000',
  '\u202E', // right-to-left override
  '\u202D',
  '\u200F', // right-to-left mark
  '\u2066',
  '\u2069',
  '\uFEFF', // byte order mark
  '\uFFFE',
  '\uFFFF',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u0301', // combining accent, alone
  '\u{1F600}',
  '\u{10FFFF}',
  '\u001B',
  '\u007F',
  '\t',
  '\r\n',
  '"',
  '\\',
  '<script>alert(1)</script>',
  '%00',
  '%',
  '../',
  '__proto__',
];

const shortOdd = fc.oneof(
  fc.constantFrom(...oddChars),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc
    .array(fc.oneof(fc.constantFrom(...oddChars), fc.string({ maxLength: 4 })), { maxLength: 8 })
    .map((parts) => parts.join('')),
);

/** Strings around the limit of one string's length, in one- and two-unit characters. */
const overlong = fc
  .tuple(
    fc.constantFrom(
      jsonLimits.maxStringLength,
      jsonLimits.maxStringLength + 1,
      3 * jsonLimits.maxStringLength,
    ),
    fc.constantFrom('a', 'é', '\uD800', '\u202E', '\u{1F600}'),
  )
  .map(([units, char]) => char.repeat(Math.ceil(units / char.length)));

/** Odd text: mostly short, sometimes far too long. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: shortOdd, weight: 9 },
  { arbitrary: overlong, weight: 1 },
);

/** Any JSON value, with odd strings inside. */
const oddJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  oddString,
  fc.constantFrom(null, true, 0, -1, -0, 1e308, 2 ** 53 + 1, 0.5, '', [], {}, [null], {
    __proto__: null,
    constructor: { prototype: 1 },
  }),
  fc.array(oddString, { maxLength: 3 }),
  fc.dictionary(oddString, oddString, { maxKeys: 3 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: oddJson }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('add' as const),
    at: fc.nat(),
    key: fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'status'),
      oddString,
    ),
    value: oddJson,
  }),
);

const malformedJson = fc.constantFrom(
  '',
  ' ',
  '{',
  '}',
  '[',
  '{"a":}',
  '[1,]',
  '{"reason":"x",}',
  "{'reason':'x'}",
  'nul',
  'NaN',
  'undefined',
  '1e999999',
  '-',
  '"\\ud800"',
  '"\\u0000"',
  '"\\x41"',
  '{"a":1}{"b":2}',
  '\uFEFF{"reason":"x"}',
  '{"decision":"deny","decision":"approve","reason":"x"}',
  '{"__proto__":{"isAdmin":true},"reason":"x"}',
  '{"constructor":{"prototype":{"x":1}}}',
  '/* comment */ {}',
  '\u0000',
);

const invalidUtf8 = fc.oneof(
  fc.constantFrom<number[]>(
    [0xc0, 0x80], // overlong NUL
    [0xe0, 0x80, 0xaf], // overlong "/"
    [0xed, 0xa0, 0x80], // an encoded surrogate
    [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
    [0xff, 0xfe],
    [0x7b, 0x22, 0x72, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d], // {"r":"<cut é>"}
  ),
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
);

const body: fc.Arbitrary<FuzzBody> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('mutated' as const),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('text' as const),
      text: fc.oneof(malformedJson, oddString),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('truncated' as const), at: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: invalidUtf8 }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      depth: fc.constantFrom(jsonLimits.maxDepth, jsonLimits.maxDepth + 1, 1_000, 20_000),
      shape: fc.constantFrom('array' as const, 'object' as const),
      inBody: fc.boolean(),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('oversized' as const),
      bytes: fc.constantFrom(64 * 1024 + 1, 256 * 1024 + 1, 2 * 1024 * 1024 + 1, 5 * 1024 * 1024),
      filler: fc.constantFrom('string' as const, 'array' as const, 'whitespace' as const),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('json' as const), value: oddJson }), weight: 1 },
);

/** Percent-encodes text as a client might, lone surrogates as their (invalid) UTF-8 bytes. */
export function percentEncode(text: string): string {
  if (!/[\uD800-\uDFFF]/.test(text)) return encodeURIComponent(text);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const pair = unit >= 0xd800 && unit <= 0xdbff ? text.charCodeAt(i + 1) : NaN;
    if (pair >= 0xdc00 && pair <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i += 1;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
      out += bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(text[i] ?? '');
    }
  }
  return out;
}

const queryKey = fc.oneof(
  fc.constantFrom(
    'status',
    'stack',
    'format',
    'limit',
    'since',
    'until',
    'actor',
    'action',
    'subject',
    'next',
    'bye',
    'page',
    '__proto__',
    'constructor',
  ),
  shortOdd,
);
const queryValue = fc.oneof(
  fc.constantFrom(
    'pending',
    'approved,denied',
    'jsonl',
    'csv',
    '-1',
    '1e309',
    '0x10',
    '2026-13-45T99:99:99Z',
    '//evil.example/',
    'https://evil.example',
    'javascript:alert(1)',
    '/\\evil.example',
  ),
  oddString,
);

/** A query string: pairs (odd or known keys), raw malformed escapes, or one far too long. */
const query: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(fc.tuple(queryKey, queryValue), { minLength: 1, maxLength: 5 })
    .map((pairs) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&')),
  fc.constantFrom(
    '%',
    '%zz',
    '%C3',
    '%ED%A0%80=1',
    'a=%00',
    '&&&',
    '=',
    '?',
    'a=1&a=2&a=3',
    'a[b][c]=1',
    '+++=+',
  ),
  fc.constantFrom(1_000, 100_000).map((n) => `stack=${'x'.repeat(n)}`),
);

/** Header values: any Latin-1 text a client can send (no CR, LF or NUL). */
const latin1 = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c !== 0x7f)
    .map((c) => String.fromCharCode(c)),
  maxLength: 40,
});

const contentTypes = [
  'application/json',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=shift_jis',
  'multipart/form-data',
  'multipart/form-data; boundary=x',
  'multipart/form-data; boundary=',
  'multipart/mixed; boundary=x',
  'application/merge-patch+json',
  'application/octet-stream',
  '*/*',
  '',
];

const headerValue = fc.oneof(
  latin1,
  fc.constantFrom(
    ...contentTypes,
    'Bearer',
    'Bearer ',
    'Bearer  tok-carol',
    'bearer tok-alice',
    'Basic dG9rLWNhcm9sOg==',
    'null',
    'http://console.test',
    'http://evil.example',
    'same-origin',
    'cross-site',
    'clearance-session=',
    'clearance-session=x; clearance-session=y',
    '127.0.0.1, 10.0.0.1',
    '999.999.999.999',
    '*/*',
    'gzip, br',
  ),
  fc.constantFrom(1_000, 16_000).map((n) => 'x'.repeat(n)),
);

const headerName = fc.oneof(
  fc.constantFrom(
    'content-type',
    'accept',
    'accept-encoding',
    'accept-language',
    'authorization',
    'cookie',
    'origin',
    'referer',
    'sec-fetch-site',
    'x-forwarded-for',
    'x-forwarded-proto',
    'x-real-ip',
    'if-none-match',
    'range',
    'user-agent',
  ),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
);

const ids = fc.oneof(
  oddString,
  fc.constantFrom('', '..', '%2e%2e', 'a/b', 'req-', 'x'.repeat(10_000), '0', '-1', 'null'),
);

/** One odd input for one route. */
export const fuzzInput: fc.Arbitrary<FuzzInput> = fc
  .record(
    {
      route: fc.constantFrom(...routes),
      caller: fc.constantFrom<FuzzCaller>('none', 'badToken', 'requester', 'approver', 'auditor'),
      id: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: ids, weight: 1 }),
      address: fc.constantFrom('127.0.0.1', '::1', '10.0.0.7', 'fresh', 'fresh'),
      query,
      contentType: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 3 },
        { arbitrary: fc.constantFrom(...contentTypes), weight: 2 },
      ),
      headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 3 }),
      formToken: fc.oneof(
        { arbitrary: fc.constant('valid'), weight: 6 },
        { arbitrary: fc.constant('missing'), weight: 1 },
        { arbitrary: oddString, weight: 1 },
      ),
      body,
    },
    { requiredKeys: ['route', 'caller', 'address', 'headers', 'formToken'] },
  )
  .map(({ id, body, contentType, ...rest }) => {
    const post = rest.route.startsWith('POST ');
    return {
      ...rest,
      ...(id === undefined ? {} : { id }),
      ...(body === undefined || !post ? {} : { body }),
      ...(contentType === undefined || !post ? {} : { contentType }),
    };
  });
