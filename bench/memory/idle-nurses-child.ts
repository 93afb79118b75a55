/**
 * The client side of the memory benchmark, in a process of its own (so neither its
 * sockets nor its memory are in the server's reading, and both get a full open-files
 * limit). On request it opens more idle nurse sockets, each sending one status frame,
 * as the app does after connecting, then holds them, answering pings.
 *
 * Environment: BENCH_PORT, BENCH_PATH (/ws/nurse, or / for the bare server),
 * BENCH_JWT_SECRET (absent: no token, no acks expected).
 */
import { createTokenSigner } from '@nursing/auth';
import { waitFor } from '@nursing/testing';
import { announceReady, serveParent } from '../lib/children/child-ipc.ts';
import { connectRawWs, openMany, type RawWs } from '../lib/raw-ws/raw-ws-client.ts';

const secret = process.env['BENCH_JWT_SECRET'];
const signer = secret ? createTokenSigner(secret) : undefined;
let sockets: RawWs[] = [];
let acks = 0;
let closed = 0;

export interface OpenRequest {
  port: number;
  /** /ws/nurse (authenticated, acks expected) or / for the bare server. */
  path: string;
  count: number;
  authenticate: boolean;
}

async function open({ port, path, count, authenticate }: OpenRequest): Promise<{ open: number; acks: number; closed: number; connectMs: number }> {
  const sign = authenticate ? signer : undefined;
  if (authenticate && !sign) throw new Error('BENCH_JWT_SECRET is not set');
  const t0 = performance.now();
  const first = sockets.length;
  const opened = await openMany(count, 64, (k) => {
    const id = `idle${first + k}`;
    return connectRawWs({
      host: '127.0.0.1',
      port,
      path,
      headers: sign ? { authorization: `Bearer ${sign({ sub: id, role: 'nurse', institution: `inst${(first + k) % 10}` })}` } : {},
      onText: (payload) => {
        if (payload.toString('latin1').startsWith('{"type":"ack","of":"status"')) acks++;
      },
      onClose: () => void closed++,
    });
  });
  sockets.push(...opened);
  for (const s of opened) s.send('{"type":"status","status":"available"}');
  if (sign) await waitFor(() => acks >= sockets.length, { timeoutMs: 120_000, intervalMs: 100, message: `${sockets.length} status acks (got ${acks})` });
  return { open: sockets.length, acks, closed, connectMs: performance.now() - t0 };
}

function closeAll(): { closed: number } {
  for (const s of sockets) s.destroy();
  const n = sockets.length;
  sockets = [];
  acks = 0;
  closed = 0;
  return { closed: n };
}

serveParent({ open: (arg) => open(arg as OpenRequest), closeAll, stats: () => ({ open: sockets.length, acks, closed }) }, async () => {
  closeAll();
});
announceReady({});
