import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { OPCODE, createFrameReader, encodeClientFrame, encodeTextFrames } from './frame-codec.ts';

export interface RawWsOptions {
  host: string;
  port: number;
  /** e.g. `/ws/nurse` */
  path: string;
  headers?: Record<string, string>;
  /** A text message from the server; `payload` is only valid during the call. */
  onText?: (payload: Buffer) => void;
  onClose?: (code: number) => void;
  handshakeTimeoutMs?: number;
}

/** A client WebSocket reduced to what benchmarks need. Pings are answered. */
export interface RawWs {
  readonly socket: Socket;
  readonly open: boolean;
  /** Close code once closed (1006 when the connection just dropped). */
  readonly closeCode: number | undefined;
  send(text: string): void;
  /** Several frames in one TCP write. */
  sendMany(texts: readonly string[]): void;
  /** Bytes queued in this process, not yet handed to the kernel. */
  readonly queuedBytes: number;
  close(): void;
  /** Drops the TCP connection without a close handshake (fast teardown of thousands). */
  destroy(): void;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Opens a WebSocket over plain TCP; rejects with the HTTP status when the server refuses the upgrade. */
export function connectRawWs(options: RawWsOptions): Promise<RawWs> {
  const key = randomBytes(16).toString('base64');
  const expectedAccept = createHash('sha1').update(key + GUID).digest('base64');
  const socket = connect({ host: options.host, port: options.port });
  socket.setNoDelay(true);
  let open = false;
  let upgraded = false;
  let closeCode: number | undefined;

  const finish = (code: number): void => {
    // A connection that never upgraded is reported by the rejected promise instead.
    if (!upgraded || closeCode !== undefined) return;
    closeCode = code;
    open = false;
    options.onClose?.(code);
  };
  const reader = createFrameReader((opcode, payload) => {
    if (opcode === OPCODE.text) options.onText?.(payload);
    else if (opcode === OPCODE.ping) socket.write(encodeClientFrame(OPCODE.pong, Buffer.from(payload)));
    else if (opcode === OPCODE.close) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      if (!socket.destroyed) socket.end(encodeClientFrame(OPCODE.close, Buffer.from(payload.subarray(0, 2))));
      finish(code);
    }
  });

  const ws: RawWs = {
    socket,
    get open() {
      return open;
    },
    get closeCode() {
      return closeCode;
    },
    get queuedBytes() {
      return socket.writableLength;
    },
    send(text) {
      if (open) socket.write(encodeClientFrame(OPCODE.text, text));
    },
    sendMany(texts) {
      if (open && texts.length > 0) socket.write(encodeTextFrames(texts));
    },
    close() {
      if (!open) return;
      open = false;
      const code = Buffer.alloc(2);
      code.writeUInt16BE(1000);
      socket.end(encodeClientFrame(OPCODE.close, code));
    },
    destroy() {
      open = false;
      socket.destroy();
    },
  };

  return new Promise<RawWs>((resolve, reject) => {
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error(`WebSocket handshake to ${options.path} timed out`)), options.handshakeTimeoutMs ?? 30_000);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const onHandshakeData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(lines[0]?.split(' ')[1]);
      if (status !== 101) return fail(Object.assign(new Error(`WebSocket upgrade refused: HTTP ${status}`), { status }));
      const accept = lines.find((l) => l.toLowerCase().startsWith('sec-websocket-accept:'))?.split(':')[1]?.trim();
      if (accept !== expectedAccept) return fail(new Error('WebSocket upgrade: wrong Sec-WebSocket-Accept'));
      clearTimeout(timer);
      socket.off('data', onHandshakeData);
      open = true;
      upgraded = true;
      socket.on('data', (c: Buffer) => reader.push(c));
      const rest = head.subarray(end + 4);
      if (rest.length > 0) reader.push(Buffer.from(rest));
      resolve(ws);
    };
    socket.on('data', onHandshakeData);
    socket.once('error', (err) => {
      if (!upgraded) fail(err);
    });
    socket.on('error', () => finish(1006));
    socket.once('close', () => finish(1006));
    socket.once('connect', () => {
      const headers = { ...options.headers };
      const lines = [
        `GET ${options.path} HTTP/1.1`,
        `Host: ${options.host}:${options.port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${key}`,
        'Sec-WebSocket-Version: 13',
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  });
}

/** Runs `open(i)` for i in [0, count) with at most `concurrency` under way; returns what opened, in order. */
export async function openMany<T>(count: number, concurrency: number, open: (i: number) => Promise<T>, onProgress?: (done: number) => void): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  let done = 0;
  async function worker(): Promise<void> {
    while (next < count) {
      const i = next++;
      out[i] = await open(i);
      done++;
      onProgress?.(done);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}
