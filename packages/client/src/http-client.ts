import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { chunkItems, endpointLimits } from './api-limits.js';
import type {
  ChecksBody,
  CreateRequestBody,
  ReopenBody,
  ReviewBody,
  RevokeBody,
  RunContext,
  RunReportBody,
} from './api.js';
import {
  approvalsResponseSchema,
  auditEntriesSchema,
  checksResponseSchema,
  healthSchema,
  jwksSchema,
  requestListSchema,
  requestViewSchema,
  type ApprovalsResponse,
  type AuditEntryView,
  type CheckResult,
  type ChecksResponse,
  type RequestStatus,
  type RequestView,
} from './api-responses.js';
import type { BreakGlassBody, BreakGlassReviewBody } from './break-glass.js';
import { ClearanceError, errorCodes, type ErrorCode } from './errors.js';
import { JSON_LINES_CONTENT_TYPE } from './json-lines.js';
import { checkServiceUrl } from './service-url.js';

export interface ClientOptions {
  /** Base URL of the approval service, e.g. https://clearance.example.com or http://127.0.0.1:8080 */
  url: string;
  /** Allows plain http:// to a host other than loopback (refused otherwise: ERR_INSECURE_URL). */
  allowInsecureHttp?: boolean | undefined;
  /** API token, sent as a bearer token. */
  token?: string | undefined;
  /** Without `token`: gets the bearer token once, on the first call (a CI OIDC ID token). */
  tokenSource?: (() => Promise<string>) | undefined;
  /** Bound on every call, in milliseconds (default 10 s). */
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

/** Room left in a bulk body for what is not its items (stack, run, keys). */
const BODY_HEADROOM_BYTES = 4096;

/**
 * A refusal's body (`{error: {code, message}}`), read leniently: a member of another type is as
 * good as absent.
 */
const refusalSchema = z
  .object({
    error: z.object({
      code: z.string().optional().catch(undefined),
      message: z.string().optional().catch(undefined),
    }),
  })
  .optional()
  .catch(undefined);

/** What `POST /v1/runs` answers: nothing (204). Whatever body comes is ignored. */
const noContent = z.unknown().transform((): void => undefined);

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (errorCodes as readonly string[]).includes(code);
}

/** The error a refusal (a status that is not ok) stands for, from its body when it names one. */
function refusal(status: number, json: unknown, path: string): ClearanceError {
  const error = refusalSchema.parse(json)?.error;
  const code = isErrorCode(error?.code) ? error.code : 'ERR_INTERNAL';
  const message = error?.message ?? `HTTP ${status} from ${path}`;
  return new ClearanceError(code, message, { status });
}

/** Where a body departs from its schema, in a few words: the path and what was expected. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unexpected shape';
  const at = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the body';
  const what = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.code;
  return `${at.slice(0, 100)}: ${what}`;
}

/** Typed HTTP client of the approval service, shared by the policy pack and the CLI. */
export class ClearanceClient {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #tokenSource: (() => Promise<string>) | undefined;
  #sourced: Promise<string> | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    const base = checkServiceUrl(options.url, { allowInsecureHttp: options.allowInsecureHttp });
    this.baseUrl = base.href.replace(/\/+$/, '');
    this.#token = options.token;
    this.#tokenSource = options.token ? undefined : options.tokenSource;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? fetch;
  }

  /**
   * One call; its answer is parsed with `schema`. A refusal throws the service's error (its
   * code when known, else ERR_INTERNAL); an answer the schema refuses throws ERR_BAD_RESPONSE,
   * whose message names where it departs, never what it holds.
   */
  async #call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.output<S>> {
    const { res, text } = await this.#send(method, path, 'application/json', body);
    let json: unknown = undefined;
    let isJson = text.length === 0;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
        isJson = true;
      } catch {
        json = undefined;
      }
    }
    const route = `${method} ${path.split('?')[0] ?? path}`;
    if (!res.ok) throw refusal(res.status, json, path);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const why = isJson ? firstIssue(parsed.error) : 'not JSON';
      throw new ClearanceError(
        'ERR_BAD_RESPONSE',
        `the approval service at ${this.baseUrl} answered ${route} with a malformed body (${why})`,
        { status: res.status },
      );
    }
    return parsed.data;
  }

  /** One round trip: the answer and its text; unreachable and timeout as ClearanceError. */
  async #send(
    method: string,
    path: string,
    accept: string,
    body?: unknown,
  ): Promise<{ res: Response; text: string }> {
    const headers: Record<string, string> = { accept };
    if (this.#tokenSource) this.#sourced ??= this.#tokenSource();
    const token = this.#token ?? (await this.#sourced);
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.#fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ClearanceError(
          'ERR_TIMEOUT',
          `the approval service at ${this.baseUrl} did not answer within ${this.#timeoutMs} ms`,
        );
      }
      throw new ClearanceError(
        'ERR_UNREACHABLE',
        `the approval service at ${this.baseUrl} is unreachable`,
      );
    }
    return { res, text: await res.text() };
  }

  health(): Promise<{ ok: boolean }> {
    return this.#call('GET', '/healthz', healthSchema);
  }
  jwks(): Promise<JSONWebKeySet> {
    return this.#call('GET', '/.well-known/jwks.json', jwksSchema);
  }
  createRequest(body: CreateRequestBody): Promise<RequestView> {
    return this.#call('POST', '/v1/requests', requestViewSchema, body);
  }
  getRequest(id: string): Promise<RequestView> {
    return this.#call('GET', `/v1/requests/${encodeURIComponent(id)}`, requestViewSchema);
  }
  async listRequests(
    filter: {
      status?: RequestStatus | undefined;
      stack?: string | undefined;
      /** Only the requests that blocked this run (the pack's or `gate-preview`'s run id). */
      run?: string | undefined;
    } = {},
  ): Promise<RequestView[]> {
    const q = new URLSearchParams();
    if (filter.status) q.set('status', filter.status);
    if (filter.stack) q.set('stack', filter.stack);
    if (filter.run) q.set('run', filter.run);
    const qs = q.size > 0 ? `?${q}` : '';
    const body = await this.#call('GET', `/v1/requests${qs}`, requestListSchema);
    return body.requests;
  }
  review(id: string, body: ReviewBody): Promise<RequestView> {
    return this.#call(
      'POST',
      `/v1/requests/${encodeURIComponent(id)}/reviews`,
      requestViewSchema,
      body,
    );
  }
  revoke(id: string, body: RevokeBody = {}): Promise<RequestView> {
    return this.#call(
      'POST',
      `/v1/requests/${encodeURIComponent(id)}/revoke`,
      requestViewSchema,
      body,
    );
  }
  /** Lifts the denial of a denied request, so that the same change may be asked for again. */
  reopen(id: string, body: ReopenBody = {}): Promise<RequestView> {
    return this.#call(
      'POST',
      `/v1/requests/${encodeURIComponent(id)}/reopen`,
      requestViewSchema,
      body,
    );
  }
  /** Approves a pending request at once by break-glass (the rule's break-glass groups only). */
  breakGlass(id: string, body: BreakGlassBody): Promise<RequestView> {
    return this.#call(
      'POST',
      `/v1/requests/${encodeURIComponent(id)}/break-glass`,
      requestViewSchema,
      body,
    );
  }
  /** Acknowledges or flags a break-glass approval afterwards (the rule's reviewers only). */
  reviewBreakGlass(id: string, body: BreakGlassReviewBody): Promise<RequestView> {
    return this.#call(
      'POST',
      `/v1/requests/${encodeURIComponent(id)}/break-glass/review`,
      requestViewSchema,
      body,
    );
  }
  /**
   * The status of many items of a stack; in as many calls as the service's limits on items and
   * body size per call (`endpointLimits.checks`) require, answered in the order of the items.
   */
  async checks(body: ChecksBody): Promise<ChecksResponse> {
    const { maxItems, maxBodyBytes } = endpointLimits.checks;
    const chunks = chunkItems(body.items, maxItems, maxBodyBytes - BODY_HEADROOM_BYTES);
    if (chunks.length <= 1) return this.#call('POST', '/v1/checks', checksResponseSchema, body);
    const results: CheckResult[] = [];
    for (const items of chunks) {
      const part = await this.#call('POST', '/v1/checks', checksResponseSchema, {
        ...body,
        items,
      });
      results.push(...part.results);
    }
    return { results };
  }
  /** A stack's active approvals; `run` names the run asking, as the other run calls do. */
  approvals(stack: string, run?: RunContext): Promise<ApprovalsResponse> {
    const q = new URLSearchParams({ stack });
    if (run) {
      q.set('run', run.id);
      q.set('dryRun', String(run.dryRun));
    }
    return this.#call('GET', `/v1/approvals?${q}`, approvalsResponseSchema);
  }
  /** The audit trail, oldest first, filtered by `filter` (`since`, `actor`, `limit`...). */
  async auditEntries(filter: Readonly<Record<string, string>> = {}): Promise<AuditEntryView[]> {
    const q = new URLSearchParams(filter);
    const qs = q.size > 0 ? `?${q}` : '';
    return (await this.#call('GET', `/v1/audit${qs}`, auditEntriesSchema)).entries;
  }
  /**
   * The whole audit trail with its signed checkpoints and their keys, as the JSON Lines text
   * `GET /v1/audit/export` sends: what `clearance audit verify --file` checks on its own.
   */
  async auditExport(): Promise<string> {
    const { res, text } = await this.#send('GET', '/v1/audit/export', JSON_LINES_CONTENT_TYPE);
    if (res.ok) return text;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    throw refusal(res.status, json, '/v1/audit/export');
  }
  /** Records a run; a report past the service's limits (`endpointLimits.runs`) goes in parts. */
  async reportRun(body: RunReportBody): Promise<void> {
    const { maxItems, maxBodyBytes } = endpointLimits.runs;
    const budget = maxBodyBytes - BODY_HEADROOM_BYTES;
    const { used, blocked } = body;
    const fits =
      used.length <= maxItems &&
      blocked.length <= maxItems &&
      chunkItems<unknown>([...used, ...blocked], Infinity, budget).length <= 1;
    if (fits) return this.#call('POST', '/v1/runs', noContent, body);
    for (const part of chunkItems(used, maxItems, budget)) {
      await this.#call('POST', '/v1/runs', noContent, { ...body, used: part, blocked: [] });
    }
    for (const part of chunkItems(blocked, maxItems, budget)) {
      await this.#call('POST', '/v1/runs', noContent, { ...body, used: [], blocked: part });
    }
  }
}
