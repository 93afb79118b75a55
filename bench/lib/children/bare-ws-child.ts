/**
 * A bare `ws` server, in its own process so its RSS and CPU are its own. Two baselines use it:
 * - memory: nothing per connection but the socket and a message counter;
 * - ingest (BARE_WS_ACK=1): the floor of "a ws server that acknowledges every fix". Each
 *   text frame is parsed as JSON and answered with the ack the gateway sends for its type,
 *   at once: no validation, no storage, no fan-out. What ours costs above this is ours;
 *   what this costs is the socket work any ws server pays per fix on this machine.
 */
import { WebSocketServer } from 'ws';
import { announceReady, memorySnapshot, serveParent } from './child-ipc.ts';

const ACK = process.env['BARE_WS_ACK'] === '1';
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 16 * 1024 });
let connections = 0;
let messages = 0;
server.on('connection', (socket) => {
  connections++;
  socket.on('message', (data: Buffer) => {
    messages++;
    if (!ACK) return;
    const frame = JSON.parse(data.toString('utf8')) as { type?: unknown; id?: unknown };
    if (typeof frame.type !== 'string') return;
    socket.send(`{"type":"ack","of":${JSON.stringify(frame.type)},"ok":true${frame.id === undefined ? '' : `,"id":${JSON.stringify(frame.id)}`}}`);
  });
  socket.on('close', () => void connections--);
});
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const address = server.address();

serveParent({ memory: memorySnapshot, stats: () => ({ connections, messages }) }, async () => {
  for (const c of server.clients) c.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
announceReady({ port: typeof address === 'object' && address ? address.port : 0 });
