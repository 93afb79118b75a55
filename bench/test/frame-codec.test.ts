import { describe, expect, it } from 'vitest';
import { OPCODE, createFrameReader, encodeClientFrame, encodeTextFrames } from '../lib/raw-ws/frame-codec.ts';

/** A server frame (unmasked) as a WebSocket server writes it. */
function serverFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([(fin ? 0x80 : 0) | opcode, len]) : len < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (len >= 126) {
    head[0] = (fin ? 0x80 : 0) | opcode;
    head[1] = len < 65_536 ? 126 : 127;
    if (len < 65_536) head.writeUInt16BE(len, 2);
    else head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

function read(chunks: Buffer[]): { opcode: number; text: string }[] {
  const out: { opcode: number; text: string }[] = [];
  const reader = createFrameReader((opcode, payload) => out.push({ opcode, text: payload.toString('utf8') }));
  for (const c of chunks) reader.push(c);
  return out;
}

describe('raw WebSocket framing', () => {
  it('masks client frames with a zero key, so the payload bytes are sent as they are', () => {
    const frame = encodeClientFrame(OPCODE.text, '{"type":"ping"}');
    expect(frame[0]).toBe(0x81);
    expect(frame[1]).toBe(0x80 | 15);
    expect(frame.readUInt32BE(2)).toBe(0);
    expect(frame.subarray(6).toString()).toBe('{"type":"ping"}');
    const long = encodeClientFrame(OPCODE.text, 'x'.repeat(300));
    expect(long[1]).toBe(0x80 | 126);
    expect(long.readUInt16BE(2)).toBe(300);
    expect(long.length).toBe(8 + 300);
  });

  it('packs several text frames into one buffer, each complete', () => {
    const texts = ['a', 'é'.repeat(70), 'z'.repeat(200)];
    const buf = encodeTextFrames(texts);
    // The server side reads client frames like server frames, once unmasked (key 0).
    const unmasked: Buffer[] = [];
    let o = 0;
    for (const t of texts) {
      const len = Buffer.byteLength(t);
      const header = len < 126 ? 6 : 8;
      unmasked.push(buf.subarray(o + header, o + header + len));
      o += header + len;
    }
    expect(o).toBe(buf.length);
    expect(unmasked.map((b) => b.toString('utf8'))).toEqual(texts);
  });

  it('reads server frames of every length class, split anywhere across TCP chunks', () => {
    const texts = ['short', 'm'.repeat(1_000), 'L'.repeat(70_000)];
    const stream = Buffer.concat(texts.map((t) => serverFrame(OPCODE.text, Buffer.from(t))));
    for (const size of [1, 3, 7, 1_000, 65_536, stream.length]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(Buffer.from(stream.subarray(i, i + size)));
      expect(read(chunks).map((f) => f.text), `chunks of ${size}`).toEqual(texts);
    }
  });

  it('joins fragmented messages and delivers control frames between fragments', () => {
    const frames = read([
      serverFrame(OPCODE.text, Buffer.from('{"a":'), false),
      serverFrame(OPCODE.ping, Buffer.from('p')),
      serverFrame(OPCODE.continuation, Buffer.from('1}'), true),
    ]);
    expect(frames).toEqual([
      { opcode: OPCODE.ping, text: 'p' },
      { opcode: OPCODE.text, text: '{"a":1}' },
    ]);
  });
});
