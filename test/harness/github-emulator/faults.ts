// Fault injection: the answers a reliability test wants GitHub to give for a while.

export interface FaultSpec {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Matched against the request's path (without the query). Any path when omitted. */
  path?: RegExp;
  /**
   * Status to answer instead of the real handler. Omitted with delayMs: the request is only slowed down.
   * 403 / 429 answer GitHub's secondary-rate-limit message (which the throttling plugin recognises).
   */
  status?: number;
  /** How many matching requests it affects. Default 1; Infinity for a persistent fault. */
  times?: number;
  /** Seconds, sent as the Retry-After header. */
  retryAfter?: number;
  /** Wait this long before answering (a slow GitHub). */
  delayMs?: number;
  /** Destroy the connection instead of answering (connection reset). */
  reset?: boolean;
  /** The JSON body to answer with (a default GitHub-like message otherwise). */
  body?: unknown;
}

export interface Fault extends Readonly<FaultSpec> {
  /** Requests it has affected so far. */
  readonly fired: number;
}

interface ActiveFault extends FaultSpec {
  fired: number;
}

export class FaultInjector {
  private readonly faults: ActiveFault[] = [];

  add(spec: FaultSpec): Fault {
    if (spec.status === undefined && spec.delayMs === undefined && !spec.reset) {
      throw new Error('emulator fault: give a status, delayMs or reset');
    }
    const fault: ActiveFault = { times: 1, ...spec, fired: 0 };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** Faults that still have requests to affect. */
  pending(): Fault[] {
    return this.faults.filter((fault) => fault.fired < (fault.times ?? 1));
  }

  /** The first pending fault matching this request, counted as fired. */
  take(method: string, pathname: string): Fault | undefined {
    const fault = this.faults.find(
      (candidate) =>
        candidate.fired < (candidate.times ?? 1) &&
        (candidate.method === undefined || candidate.method.toUpperCase() === method) &&
        (candidate.path === undefined || candidate.path.test(pathname)),
    );
    if (fault) fault.fired++;
    return fault;
  }
}

/** The body GitHub sends with a fault's status. */
export function faultBody(fault: Fault): unknown {
  if (fault.body !== undefined) return fault.body;
  const docs = 'https://docs.github.com/rest';
  switch (fault.status) {
    case 401:
      return { message: 'Bad credentials', documentation_url: docs, status: '401' };
    case 403:
    case 429:
      return {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: String(fault.status),
      };
    case 404:
      return { message: 'Not Found', documentation_url: docs, status: '404' };
    case 422:
      return {
        message: 'Validation Failed',
        errors: [{ code: 'custom', message: 'injected fault' }],
        documentation_url: docs,
        status: '422',
      };
    default:
      return {
        message: fault.status !== undefined && fault.status >= 500 ? 'Server Error' : 'Error',
        status: String(fault.status),
      };
  }
}
