import type { JSONWebKeySet } from 'jose';
import { chunkItems, endpointLimits } from './api-limits.js';
import type {
  ApprovalsResponse,
  CheckResult,
  ChecksBody,
  ChecksResponse,
  CreateRequestBody,
  RequestStatus,
  ReopenBody,
  RequestView,
  ReviewBody,
  RevokeBody,
  RunContext,
  RunReportBody,
} from './api.js';
import { ClearanceError, errorCodes, type ErrorCode } from './errors.js';
import { checkServiceUrl } from './service-url.js';

export interface ClientOptions {
  /** Base URL of the approval service, e.g. https://clearance.example.com or http://127.0.0.1:8080 */
  url: string;
  /** Allows plain http:// to a host other than loopback (refused otherwise: ERR_INSECURE_URL). */
  allowInsecureHttp?: boolean;
  /** API token, sent as a bearer token. */
  token?: string;
  /** Bound on every call, in milliseconds (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Room left in a bulk body for what is not its items (stack, run, keys). */
const BODY_HEADROOM_BYTES = 4096;

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (errorCodes as readonly string[]).includes(code);
}

/** Typed HTTP client of the approval service, shared by the policy pack and the CLI. */
export class ClearanceClient {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    const base = checkServiceUrl(options.url, { allowInsecureHttp: options.allowInsecureHttp });
    this.baseUrl = base.href.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? fetch;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.#fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
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
    const text = await res.text();
    let json: unknown = undefined;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!res.ok) {
      const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      const code = isErrorCode(error?.code) ? error.code : 'ERR_INTERNAL';
      const message =
        typeof error?.message === 'string' ? error.message : `HTTP ${res.status} from ${path}`;
      throw new ClearanceError(code, message, { status: res.status });
    }
    return json as T;
  }

  health(): Promise<{ ok: boolean }> {
    return this.call('GET', '/healthz');
  }
  jwks(): Promise<JSONWebKeySet> {
    return this.call('GET', '/.well-known/jwks.json');
  }
  createRequest(body: CreateRequestBody): Promise<RequestView> {
    return this.call('POST', '/v1/requests', body);
  }
  getRequest(id: string): Promise<RequestView> {
    return this.call('GET', `/v1/requests/${encodeURIComponent(id)}`);
  }
  async listRequests(
    filter: { status?: RequestStatus; stack?: string } = {},
  ): Promise<RequestView[]> {
    const q = new URLSearchParams();
    if (filter.status) q.set('status', filter.status);
    if (filter.stack) q.set('stack', filter.stack);
    const qs = q.size > 0 ? `?${q}` : '';
    const body = await this.call<{ requests: RequestView[] }>('GET', `/v1/requests${qs}`);
    return body.requests;
  }
  review(id: string, body: ReviewBody): Promise<RequestView> {
    return this.call('POST', `/v1/requests/${encodeURIComponent(id)}/reviews`, body);
  }
  revoke(id: string, body: RevokeBody = {}): Promise<RequestView> {
    return this.call('POST', `/v1/requests/${encodeURIComponent(id)}/revoke`, body);
  }
  /** Lifts the denial of a denied request, so that the same change may be asked for again. */
  reopen(id: string, body: ReopenBody = {}): Promise<RequestView> {
    return this.call('POST', `/v1/requests/${encodeURIComponent(id)}/reopen`, body);
  }
  /**
   * The status of many items of a stack; in as many calls as the service's limits on items and
   * body size per call (`endpointLimits.checks`) require, answered in the order of the items.
   */
  async checks(body: ChecksBody): Promise<ChecksResponse> {
    const { maxItems, maxBodyBytes } = endpointLimits.checks;
    const chunks = chunkItems(body.items, maxItems, maxBodyBytes - BODY_HEADROOM_BYTES);
    if (chunks.length <= 1) return this.call('POST', '/v1/checks', body);
    const results: CheckResult[] = [];
    for (const items of chunks) {
      const part = await this.call<ChecksResponse>('POST', '/v1/checks', { ...body, items });
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
    return this.call('GET', `/v1/approvals?${q}`);
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
    if (fits) return this.call('POST', '/v1/runs', body);
    for (const part of chunkItems(used, maxItems, budget)) {
      await this.call('POST', '/v1/runs', { ...body, used: part, blocked: [] });
    }
    for (const part of chunkItems(blocked, maxItems, budget)) {
      await this.call('POST', '/v1/runs', { ...body, used: [], blocked: part });
    }
  }
}
