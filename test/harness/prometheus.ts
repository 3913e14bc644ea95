// Debian's Prometheus over fixed data, for tests (reference/online-gate.md "Prometheus for tests"):
// OpenMetrics text -> `promtool tsdb create-blocks-from openmetrics` -> `prometheus` on 127.0.0.1 on a free
// port, ready when GET /-/ready answers. And a small proxy in front of it that injects faults (a status, a
// delay, a rewritten answer) so the action meets what a real Prometheus behind a flaky network does.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProcess } from './runner.ts';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

/** True when Debian's prometheus and promtool are installed (`.ci/run` installs them on CI). */
export function prometheusAvailable(): boolean {
  return existsSync(PROMETHEUS) && existsSync(PROMTOOL);
}

export interface PrometheusServer {
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Backfills `openMetrics` (a file path) into a fresh TSDB and serves it; stop() kills it and removes the data. */
export async function startPrometheus(openMetricsFile: string): Promise<PrometheusServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-prometheus-'));
  const tsdb = path.join(dir, 'tsdb');
  mkdirSync(tsdb);
  const backfill = await runProcess(
    PROMTOOL,
    ['tsdb', 'create-blocks-from', 'openmetrics', openMetricsFile, tsdb],
    { cwd: dir, env: { PATH: process.env.PATH ?? '' }, timeoutMs: 60_000 },
  );
  if (backfill.status !== 0) throw new Error(`promtool failed: ${backfill.stderr || backfill.stdout}`);
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(config, 'global: {}\n');
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${tsdb}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=100y',
        '--log.level=warn',
      ],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const url = `http://127.0.0.1:${port}`;
    const stop = async () => {
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    };
    if (await waitReady(url, child, 30_000)) return { url, stop };
    await kill(child);
    // Another process may have taken the port between freePort() and the bind: try once more.
    if (attempt >= 1) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`prometheus did not become ready: ${stderr.slice(-2000)}`);
    }
  }
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** What the proxy does with one request: pass it, answer instead of Prometheus, delay, or rewrite the answer. */
export type Fault =
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'delay'; ms: number }
  | { kind: 'rewrite'; rewrite: (body: Record<string, unknown>) => unknown };

export interface ProxyRequest {
  method: string;
  path: string;
  /** Form or query parameters (query, start, end, step). */
  params: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

export interface FaultProxy {
  url: string;
  requests: ProxyRequest[];
  /** Decides the fault for each request (undefined: pass through). */
  setFault(decide: ((request: ProxyRequest, index: number) => Fault | undefined) | undefined): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const requests: ProxyRequest[] = [];
  let decide: ((request: ProxyRequest, index: number) => Fault | undefined) | undefined;
  const sockets = new Set<net.Socket>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://proxy');
    const params = new URLSearchParams(url.search);
    if (req.headers['content-type']?.startsWith('application/x-www-form-urlencoded'))
      for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.append(key, value);
    const request: ProxyRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      params,
      headers: req.headers,
    };
    requests.push(request);
    const fault = decide?.(request, requests.length - 1);
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body ?? {}));
      return;
    }
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (res.destroyed) return;
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers))
      if (typeof value === 'string' && key !== 'host' && key !== 'content-length') headers[key] = value;
    try {
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      let text = await upstream.text();
      if (fault?.kind === 'rewrite') text = JSON.stringify(fault.rewrite(JSON.parse(text)));
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
      });
      res.end(text);
    } catch (error) {
      res.writeHead(502);
      res.end(String(error));
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFault(next) {
      decide = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
