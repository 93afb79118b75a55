import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';
import { findBinary } from '@nursing/local-servers';
import { freePort, waitFor } from '@nursing/testing';

// The entry point's routing rules (infra/nginx/routes.conf), exactly as docker-compose
// mounts them, in front of three stand-in services on loopback that say who they are.
// Skipped when nginx is not installed (`apt-get install nginx-light`; ensure-servers.sh does).

const NGINX = findBinary('nginx');
const NGINX_DIR = fileURLToPath(new URL('../nginx/', import.meta.url));
const SERVICES = ['dispatch', 'gateway', 'alarms'] as const;
type Service = (typeof SERVICES)[number];

interface Seen {
  service: Service;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A stand-in service: answers every request with its name and what it received. */
function standIn(service: Service): Server {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const seen: Seen = { service, method: req.method ?? '', url: req.url ?? '', headers: req.headers };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(seen));
    });
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket, req) => socket.send(JSON.stringify({ service, url: req.url, headers: req.headers })));
  return server;
}

describe.skipIf(!NGINX)('entry point routing (nginx routes.conf)', () => {
  const servers: Server[] = [];
  let nginx: ChildProcess;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hn-entry-'));
    chmodSync(dir, 0o777); // nginx workers run as nobody when the master is root
    const ports: Record<string, number> = {};
    for (const service of SERVICES) {
      const server = standIn(service);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      ports[service] = typeof address === 'object' && address ? address.port : 0;
      servers.push(server);
    }
    const port = await freePort();
    base = `127.0.0.1:${port}`;
    // The compose file's nginx.conf with loopback upstreams instead of Docker DNS names.
    const conf = `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${SERVICES.map((s) => `  upstream ${s} { server 127.0.0.1:${ports[s]}; keepalive 4; }`).join('\n')}
  include ${NGINX_DIR}upgrade-map.conf;
  server {
    listen ${base};
    include ${NGINX_DIR}routes.conf;
  }
}`;
    writeFileSync(join(dir, 'nginx.conf'), conf);
    nginx = spawn(NGINX as string, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
    await waitFor(async () => (await fetch(`http://${base}/healthz`)).ok, {
      timeoutMs: 15_000,
      message: 'nginx listening',
    }).catch((err: Error) => {
      throw new Error(`${err.message}\n${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    });
  }, 30_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGTERM');
      await exited;
    }
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['GET', '/v1/institutions/nearby?lat=31.2&lng=121.4', 'dispatch'],
    ['POST', '/v1/nurses', 'dispatch'],
    ['PUT', '/v1/nurses/n1/location', 'dispatch'],
    ['GET', '/v1/catalog', 'dispatch'],
    ['POST', '/v1/orders', 'dispatch'],
    ['GET', '/v1/orders/o-1', 'dispatch'],
    ['GET', '/v1/orders/o-1/timeline', 'dispatch'],
    ['POST', '/v1/orders/o-1/accept', 'dispatch'],
    ['GET', '/v1/stats?institutionId=i1', 'dispatch'],
    ['GET', '/v1/orders/o-1/track?from=1', 'gateway'],
    ['GET', '/v1/alarms', 'alarms'],
    ['POST', '/v1/alarms/a-1/acknowledge', 'alarms'],
    ['GET', '/v1/alarmsx', 'dispatch'],
    ['GET', '/docs/json', 'dispatch'],
    ['GET', '/', 'gateway'],
    ['GET', '/map/app.js', 'gateway'],
  ] as const)('%s %s -> %s', async (method, path, service) => {
    const res = await fetch(`http://${base}${path}`, { method, ...(method === 'GET' ? {} : { body: '{}', headers: { 'content-type': 'application/json' } }) });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as Seen;
    expect({ service: seen.service, method: seen.method, url: seen.url }).toEqual({ service, method, url: path });
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers its own liveness and does not expose /metrics', async () => {
    expect(await (await fetch(`http://${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const metrics = await fetch(`http://${base}/metrics`);
    expect(metrics.status).toBe(404);
    expect(((await metrics.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('upgrades /ws/... to a WebSocket on the gateway, query string and auth header intact', async () => {
    const ws = new WebSocket(`ws://${base}/ws/nurse?token=abc`, { headers: { authorization: 'Bearer t' } });
    const first = await new Promise<{ service: string; url: string; headers: IncomingHttpHeaders }>((resolve, reject) => {
      ws.once('message', (data) => resolve(JSON.parse(String(data))));
      ws.once('error', reject);
    });
    ws.close();
    expect(first).toMatchObject({ service: 'gateway', url: '/ws/nurse?token=abc', headers: { authorization: 'Bearer t', upgrade: 'websocket' } });
  });
});
