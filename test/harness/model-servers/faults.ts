// Faults a model server can be told to produce: the ways real endpoints break in front of a smoke test.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServerFault {
  /** Matched against the request path; any path when omitted. */
  path?: RegExp;
  method?: string;
  /** How many matching requests it affects (default: every one). */
  times?: number;
  /** Answer this status instead of the handler. */
  status?: number;
  /** The raw body sent with `status` (default a JSON error). */
  body?: string;
  contentType?: string;
  /** Wait this long, then answer normally (or with `status`). */
  delayMs?: number;
  /** Destroy the connection instead of answering. */
  reset?: boolean;
  /** Never answer (the client must time out). */
  hang?: boolean;
}

interface Active extends ServerFault {
  fired: number;
}

export class ServerFaults {
  private readonly faults: Active[] = [];
  /** Sockets of hung requests, destroyed on close so the server can stop. */
  readonly hung = new Set<ServerResponse>();

  add(fault: ServerFault): void {
    this.faults.push({ ...fault, fired: 0 });
  }

  clear(): void {
    this.faults.length = 0;
  }

  /**
   * Applies the first matching fault. Returns true when the fault answered (or swallowed) the request, false
   * when the handler should answer (no fault, or only a delay).
   */
  async apply(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    const fault = this.faults.find(
      (candidate) =>
        candidate.fired < (candidate.times ?? Number.POSITIVE_INFINITY) &&
        (candidate.method === undefined || candidate.method === req.method) &&
        (candidate.path === undefined || candidate.path.test(pathname)),
    );
    if (!fault) return false;
    fault.fired++;
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.hang) {
      this.hung.add(res);
      return true;
    }
    if (fault.reset) {
      req.socket.destroy();
      return true;
    }
    if (fault.status === undefined) return false;
    const body = fault.body ?? JSON.stringify({ error: `injected fault ${fault.status}` });
    res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/json' });
    res.end(body);
    return true;
  }

  release(): void {
    for (const res of this.hung) res.socket?.destroy();
    this.hung.clear();
  }
}

/** The body of a request, whole (model requests are small). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts a model server on 127.0.0.1 (a free port unless one is given) and the way to stop it: release the hung
 * requests first, then close every connection so a test never waits on a keep-alive socket.
 */
export async function listenOnLoopback(
  server: Server,
  faults: ServerFaults,
  port = 0,
): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      faults.release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
