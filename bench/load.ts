/**
 * A small HTTP load generator on node:http: N keep-alive connections, each
 * sending one request after another for a fixed time (and at most a fixed
 * number of requests), to loopback only. Prints one JSON line: requests,
 * errors, requests/s, p50 and p99 latency in ms.
 *
 * usage: node load.js URL CONNECTIONS SECONDS [HEADER: VALUE]
 */
import { Agent, request } from 'node:http';

const [url = '', connectionsText = '16', secondsText = '5', header] = process.argv.slice(2);
const target = new URL(url);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
  process.stderr.write('load.js only sends traffic to loopback addresses\n');
  process.exit(2);
}
const connections = Number(connectionsText);
const seconds = Number(secondsText);
const MAX_REQUESTS = 5_000_000;
const headers: Record<string, string> = {};
if (header !== undefined) {
  const colon = header.indexOf(':');
  headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
}

const agent = new Agent({ keepAlive: true, maxSockets: connections });
const latencies: number[] = [];
let errors = 0;
let sent = 0;
const start = performance.now();
const end = start + seconds * 1000;

function one(): Promise<void> {
  return new Promise((resolve) => {
    const began = performance.now();
    const req = request(target, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) latencies.push(performance.now() - began);
        else errors++;
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end();
  });
}

async function worker(): Promise<void> {
  while (performance.now() < end && sent < MAX_REQUESTS) {
    sent++;
    await one();
  }
}

await Promise.all(Array.from({ length: connections }, worker));
const elapsed = (performance.now() - start) / 1000;
agent.destroy();
latencies.sort((a, b) => a - b);
const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
process.stdout.write(`${JSON.stringify({ requests: latencies.length, errors, rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) })}\n`);
