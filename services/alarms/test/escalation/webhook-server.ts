import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookCall {
  atMs: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  text: string;
}

/** A real HTTP server on loopback standing in for the SMS/phone gateway; answers `status()`. */
export async function startWebhookServer(status: () => number = () => 200) {
  const calls: WebhookCall[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      calls.push({ atMs: Date.now(), headers: req.headers, body: JSON.parse(text) as Record<string, unknown>, text });
      res.statusCode = status();
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/escalations`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
