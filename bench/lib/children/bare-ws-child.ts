/**
 * The memory baseline: a bare `ws` server with nothing per connection but the socket
 * and a message counter, in its own process so its RSS is its own.
 */
import { WebSocketServer } from 'ws';
import { announceReady, memorySnapshot, serveParent } from './child-ipc.ts';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 16 * 1024 });
let connections = 0;
let messages = 0;
server.on('connection', (socket) => {
  connections++;
  socket.on('message', () => void messages++);
  socket.on('close', () => void connections--);
});
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const address = server.address();

serveParent({ memory: memorySnapshot, stats: () => ({ connections, messages }) }, async () => {
  for (const c of server.clients) c.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
announceReady({ port: typeof address === 'object' && address ? address.port : 0 });
