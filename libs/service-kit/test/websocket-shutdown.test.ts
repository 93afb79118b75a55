import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createLogger } from '@nursing/logging';
import { createTokenVerifier } from '@nursing/auth';
import { createHttpApp } from '../src/index.ts';

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

describe('WebSockets on shutdown', () => {
  it('closes every client with 1001 "server shutting down" before modules stop', async () => {
    const seenByStop: number[] = [];
    const sockets = new Set<WebSocket>();
    const app = await createHttpApp({
      log: createLogger({ name: 'test', level: 'silent' }),
      title: 'test',
      readiness: {},
      auth: { verifyToken: createTokenVerifier('s'.repeat(40)), isDisabled: async () => false },
      modules: [
        {
          name: 'echo',
          routes: async (a) => {
            a.get('/ws/echo', { websocket: true }, (socket) => {
              sockets.add(socket);
              socket.on('message', (data) => socket.send(String(data)));
            });
          },
          // A module that closes its own sockets with another code must not win over 1001.
          stop: async () => {
            for (const s of sockets) {
              seenByStop.push(s.readyState);
              s.close(4000, 'module stop');
            }
          },
        },
      ],
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    const clients = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<WebSocket>((resolve, reject) => {
            const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/echo`);
            ws.once('open', () => resolve(ws));
            ws.once('error', reject);
          }),
      ),
    );
    const closes = clients.map(closeOf);
    // Each socket is live before shutdown.
    await Promise.all(
      clients.map(
        (ws) =>
          new Promise<void>((resolve) => {
            ws.once('message', () => resolve());
            ws.send('ping');
          }),
      ),
    );

    await app.close();
    expect(await Promise.all(closes)).toEqual(clients.map(() => ({ code: 1001, reason: 'server shutting down' })));
    // By the time modules stop, the shell has already closed their sockets.
    expect(seenByStop.every((state) => state === WebSocket.CLOSED || state === WebSocket.CLOSING)).toBe(true);
    expect(seenByStop).toHaveLength(3);
  });
});
