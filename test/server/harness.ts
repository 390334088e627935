/**
 * Starts the demo on an ephemeral port for a test, with a controllable clock.
 * Only declarations: Node runs every file under dist/test/ as a test file.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDemo, type Demo, type DemoOptions } from '../../server/demo/routes.js';
import { createHttpServer } from '../../server/http/server.js';
import { loadConfig } from '../../server/jwt/config.js';
import { type ConfigKey } from '../../server/jwt/settings.js';

export const SECRET = 'a-test-secret-that-is-at-least-32-bytes';

export interface Harness {
  readonly base: string;
  readonly demo: Demo;
  /** The demo's clock, in seconds; tests move it. */
  now: number;
  readonly logs: string[];
  request(method: string, path: string, init?: RequestOptions): Promise<Answer>;
  close(): Promise<void>;
}

export interface RequestOptions {
  readonly headers?: Record<string, string>;
  /** Sent as JSON with Content-Type application/json. */
  readonly json?: unknown;
  /** Sent as is. */
  readonly body?: string;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: Record<string, unknown>;
}

export async function startDemo(
  overrides: Partial<Record<ConfigKey, unknown>> = {},
  maxBodyBytes?: number,
  extra: Omit<Partial<DemoOptions>, 'config' | 'now' | 'log'> = {},
): Promise<Harness> {
  const logs: string[] = [];
  const clock = { now: 1_800_000_000 };
  const demo = createDemo({
    ...extra,
    config: loadConfig({ JWT_SECRET_KEY: SECRET, ...overrides }),
    now: () => clock.now,
    log: (message) => logs.push(message),
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
  });
  const server = createHttpServer(demo.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const harness: Harness = {
    base,
    demo,
    logs,
    get now() {
      return clock.now;
    },
    set now(value: number) {
      clock.now = value;
    },
    async request(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      let body: string | undefined = init.body;
      if (init.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(init.json);
      }
      const response = await send(base + path, method, headers, body);
      const text = response.text;
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        parsed = {};
      }
      return { status: response.status, headers: response.headers, text, body: parsed };
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return harness;
}

/** One request with node:http (fetch refuses a body on GET, which the json location needs). */
function send(url: string, method: string, headers: Record<string, string>, body: string | undefined): Promise<{ status: number; headers: Headers; text: string }> {
  const sized = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: sized }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const received = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) received.append(res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '');
        resolve({ status: res.statusCode ?? 0, headers: received, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Registers and logs in a user; returns both tokens. */
export async function login(h: Harness, username = 'alice', password = 'correct horse'): Promise<{ access: string; refresh: string }> {
  await h.request('POST', '/register', { json: { username, password } });
  const answer = await h.request('POST', '/login', { json: { username, password } });
  return { access: String(answer.body['access_token']), refresh: String(answer.body['refresh_token']) };
}

export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });
