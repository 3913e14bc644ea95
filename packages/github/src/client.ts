// Octokit and its plugins are imported when the first client is made, not when an action starts: an action
// reads and checks its inputs before it asks GitHub anything, and some runs never do (dry runs, the cli
// transport of the registry).
import type { Logger } from '@mlops/kit';
import type { Octokit as CoreOctokit } from '@octokit/core';

interface AttemptLogOptions {
  attemptLog?: { logger: Logger; redact: (text: string) => string };
}

/**
 * Logs every attempt (method, path, status, time; never headers, so never the token). Registered before the
 * retry and throttling plugins, so it sits inside them and sees each retry, not only the final answer.
 */
function attemptLog(octokit: CoreOctokit, options: AttemptLogOptions & Record<string, unknown>): void {
  const sink = options.attemptLog;
  if (!sink) return;
  octokit.hook.wrap('request', async (request, requestOptions) => {
    const { method, url } = octokit.request.endpoint.parse(requestOptions);
    const path = sink.redact(readable(url.replace(/^https?:\/\/[^/]+/, '')));
    const started = Date.now();
    try {
      const response = await request(requestOptions);
      sink.logger.debug(`${method} ${path} -> ${response.status} (${Date.now() - started} ms)`);
      return response;
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      const line = `${method} ${path} -> ${typeof status === 'number' ? status : 'failed'} (${Date.now() - started} ms)`;
      // Answers a retry may cure are worth seeing without debug logging; the caller reports the final error.
      if (typeof status !== 'number' || status >= 500 || status === 403 || status === 429)
        sink.logger.info(line);
      else sink.logger.debug(line);
      throw error;
    }
  });
}

/** The Octokit our actions use: REST methods, pagination, attempt logging, retry and throttling. */
async function loadMlopsOctokit() {
  const [{ Octokit }, { retry }, { throttling }] = await Promise.all([
    import('@octokit/rest'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling'),
  ]);
  return Octokit.plugin(attemptLog, retry, throttling);
}
type MlopsOctokit = Awaited<ReturnType<typeof loadMlopsOctokit>>;
export type GitHubClient = InstanceType<MlopsOctokit>;
let mlopsOctokitLoaded: Promise<MlopsOctokit> | undefined;

export interface GitHubClientOptions {
  token: string;
  /** GITHUB_API_URL (https://api.github.com, a GHES /api/v3 URL, or a test emulator). */
  apiUrl: string;
  logger: Logger;
  /** Retries of a failed request (5xx, secondary rate limit). Default 3; 0 disables. */
  retries?: number;
  userAgent?: string;
  /**
   * Base of every back-off in milliseconds: a 5xx is retried after (n+1)^2 * base, a rate limit after
   * retry-after seconds * base / 1000. Default 1000 (GitHub's guidance); tests lower it.
   */
  retryBaseMs?: number;
  /** Longest rate-limit wait we accept before giving up, in seconds. Default 60: an action should not hang. */
  maxRetryAfterSeconds?: number;
  /**
   * GitHub asks integrations to send content-creating requests one at a time, about a second apart; the
   * throttling plugin does that by default. `false` removes the pacing (in-process tests that write a lot).
   */
  paceWrites?: boolean;
}

// Hands every job straight through: the shape of a Bottleneck.Group the throttling plugin calls.
const unpaced = {
  key: () => ({
    schedule: (_options: unknown, task: (...args: unknown[]) => unknown, ...args: unknown[]) =>
      Promise.resolve(task(...args)),
  }),
};

/**
 * An authenticated GitHub client that retries 5xx answers with quadratic back-off, waits out secondary rate
 * limits (403/429 with retry-after) up to a bound, and logs one line per attempt through the Logger (method,
 * path, status, time: never headers, so never the token).
 * @example const github = await createGitHubClient({ token, apiUrl: io.env.apiUrl, logger: io.logger });
 */
export async function createGitHubClient(options: GitHubClientOptions): Promise<GitHubClient> {
  const { token, logger } = options;
  const retries = options.retries ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const maxRetryAfter = options.maxRetryAfterSeconds ?? 60;
  const redact = (text: string) => (token ? text.split(token).join('***') : text);
  const limitHandler =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const where = `${request.method} ${redact(request.url)}`;
      if (retryCount < retries && retryAfter <= maxRetryAfter) {
        logger.info(
          `GitHub ${kind} on ${where}; retrying in ${retryAfter}s (retry ${retryCount + 1}/${retries})`,
        );
        return true;
      }
      logger.warning(
        `GitHub ${kind} on ${where}; giving up (retry-after ${retryAfter}s, ${retryCount} retries made)`,
      );
      return false;
    };

  mlopsOctokitLoaded ??= loadMlopsOctokit();
  const Client = await mlopsOctokitLoaded;
  const octokit = new Client({
    ...(token ? { auth: token } : {}),
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    userAgent: options.userAgent ?? 'mlops-actions',
    attemptLog: { logger, redact },
    // Octokit's own log lines go to debug: failures are reported once, by the caller, with a hint.
    log: {
      debug: () => {},
      // The attempt log below already has one line per request.
      info: () => {},
      warn: (message: string) => logger.debug(redact(String(message))),
      error: (message: string) => logger.debug(redact(String(message))),
    },
    retry: { retries, retryAfterBaseValue: retryBaseMs, doNotRetry: [400, 401, 403, 404, 410, 422, 451] },
    throttle: {
      onRateLimit: limitHandler('rate limit'),
      onSecondaryRateLimit: limitHandler('secondary rate limit'),
      retryAfterBaseValue: retryBaseMs,
      ...(options.paceWrites === false ? { write: unpaced, notifications: unpaced, search: unpaced } : {}),
    } as ConstructorParameters<MlopsOctokit>[0] extends infer O
      ? O extends { throttle?: infer T }
        ? T
        : never
      : never,
  });

  return octokit;
}

// Query values arrive percent-encoded (created=%3E%3D2026-...); the log shows them as typed.
function readable(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
