// The one place serving-check talks HTTP: a request with a deadline, and failures turned into sentences
// that name the request (never its headers, which may carry a token).
import { UserError } from '@mlops/kit';

export interface Answer {
  status: number;
  text: string;
  headers: Headers;
  ms: number;
}

/** A request that got no HTTP answer: refused, reset, timed out, DNS. */
export class NoAnswer extends Error {
  override name = 'NoAnswer';
}

export interface Endpoint {
  base: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** `base + path` keeping the base's own path (a KServe ingress prefix); absolute URLs are used as given. */
export function urlFor(base: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  if (path === '') return base;
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path.startsWith('/') ? '' : '/'}${path}`;
  return url.href;
}

export async function request(
  endpoint: Endpoint,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  timeoutMs = endpoint.timeoutMs,
): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(urlFor(endpoint.base, path), {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...endpoint.headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    const text = await response.text();
    return { status: response.status, text, headers: response.headers, ms: performance.now() - started };
  } catch (error) {
    throw new NoAnswer(describeFailure(error, timeoutMs));
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return `no answer within ${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`;
  const code = err.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (nothing listens there)';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE')
    return 'connection reset by the server before a full answer';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found (DNS)';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return `no answer within ${timeoutMs} ms`;
  return `request failed: ${err.cause?.message ?? err.message}${code ? ` (${code})` : ''}`;
}

/**
 * The `headers` input: one `Name: value` per line. Names must be HTTP tokens; values are returned for the
 * caller to mask before anything is logged.
 */
export function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!text) return headers;
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      // The line may hold a token: name the line, never echo it.
      throw new UserError(`input 'headers': line ${index + 1} is not 'Name: value' (the value is not shown)`);
    }
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** The URL for the report and the log: no credentials, no query string (either may carry a token). */
export function shownUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return parsed.href.replace(/\/$/, '');
}
