/**
 * The two halves of RFC 6455 framing a load generator needs, without a WebSocket
 * library: client frames out (masked, as the RFC requires, with an all-zero key so
 * the payload is copied as is) and server frames in (never masked). ~10x cheaper per
 * frame than `ws`, which leaves the CPU to the server being measured.
 */
export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

function headerLength(payloadLength: number): number {
  return payloadLength < 126 ? 6 : payloadLength < 65_536 ? 8 : 14;
}

/** Writes one masked client frame at `offset`; returns the offset after it. */
function writeFrame(target: Buffer, offset: number, opcode: number, payload: Buffer | string, payloadLength: number): number {
  let o = offset;
  target[o++] = 0x80 | opcode; // FIN + opcode
  if (payloadLength < 126) {
    target[o++] = 0x80 | payloadLength;
  } else if (payloadLength < 65_536) {
    target[o++] = 0x80 | 126;
    target.writeUInt16BE(payloadLength, o);
    o += 2;
  } else {
    target[o++] = 0x80 | 127;
    target.writeBigUInt64BE(BigInt(payloadLength), o);
    o += 8;
  }
  target.writeUInt32BE(0, o); // masking key 0: XOR leaves the payload unchanged
  o += 4;
  if (typeof payload === 'string') o += target.write(payload, o, 'utf8');
  else o += payload.copy(target, o);
  return o;
}

export function encodeClientFrame(opcode: number, payload: Buffer | string): Buffer {
  const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  const out = Buffer.allocUnsafe(headerLength(length) + length);
  writeFrame(out, 0, opcode, payload, length);
  return out;
}

/** Several text frames in one buffer: one write, one syscall. */
export function encodeTextFrames(texts: readonly string[]): Buffer {
  const lengths = texts.map((t) => Buffer.byteLength(t));
  const out = Buffer.allocUnsafe(lengths.reduce((sum, n) => sum + headerLength(n) + n, 0));
  let o = 0;
  for (let i = 0; i < texts.length; i++) o = writeFrame(out, o, OPCODE.text, texts[i]!, lengths[i]!);
  return out;
}

export type FrameListener = (opcode: number, payload: Buffer) => void;

/**
 * Splits the server's byte stream into frames, across TCP chunks. Fragmented messages
 * are joined; control frames in between are delivered as they come.
 */
export function createFrameReader(onFrame: FrameListener) {
  let chunks: Buffer[] = [];
  let buffered = 0;
  /** Bytes the frame at the head needs before it can be parsed (grows once its header is known). */
  let need = 2;
  let fragments: Buffer[] = [];
  let fragmentOpcode = 0;

  function parse(buf: Buffer): Buffer | undefined {
    let o = 0;
    while (buf.length - o >= 2) {
      const b0 = buf[o]!;
      const b1 = buf[o + 1]!;
      let length = b1 & 0x7f;
      let header = 2;
      if (length === 126) {
        if (buf.length - o < 4) break;
        length = buf.readUInt16BE(o + 2);
        header = 4;
      } else if (length === 127) {
        if (buf.length - o < 10) break;
        length = Number(buf.readBigUInt64BE(o + 2));
        header = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      if (masked) header += 4;
      if (buf.length - o < header + length) {
        need = header + length;
        return buf.subarray(o);
      }
      let payload = buf.subarray(o + header, o + header + length);
      if (masked) {
        const key = buf.subarray(o + header - 4, o + header);
        payload = Buffer.from(payload);
        for (let i = 0; i < payload.length; i++) payload[i]! ^= key[i & 3]!;
      }
      o += header + length;
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      if (opcode >= 0x8) onFrame(opcode, payload);
      else if (fin && opcode !== OPCODE.continuation) onFrame(opcode, payload);
      else {
        if (opcode !== OPCODE.continuation) fragmentOpcode = opcode;
        // Copied: the chunk it points into is reused after this call.
        fragments.push(Buffer.from(payload));
        if (fin) {
          const whole = Buffer.concat(fragments);
          fragments = [];
          onFrame(fragmentOpcode, whole);
        }
      }
    }
    need = 2;
    return o < buf.length ? buf.subarray(o) : undefined;
  }

  return {
    push(chunk: Buffer): void {
      chunks.push(chunk);
      buffered += chunk.length;
      if (buffered < need) return;
      const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
      const rest = parse(whole);
      chunks = rest ? [Buffer.from(rest)] : [];
      buffered = rest ? rest.length : 0;
    },
  };
}
