import type { ServerResponse } from 'node:http';
import zlib from 'node:zlib';

/** A compressed body that expands far beyond what it costs to send; made on the fly, never stored. */
export interface Bomb {
  /** The Content-Encoding it is sent with. */
  readonly encoding: 'gzip' | 'deflate' | 'br';
  /** What it would expand to; endless ones never stop. */
  readonly expandsToBytes: number | 'endless';
  pieces(): Iterable<Buffer>;
}

export type BombKind = 'gzip' | 'deflate' | 'br' | 'gzip in 3,072 members';

const mebibyte = 1 << 20;

/**
 * Compressing zeros with a flush after each mebibyte settles into the same bytes every time (the window
 * is all zeros), so those bytes repeated make a stream that goes on expanding for as long as it is sent.
 */
async function steadyState(stream: zlib.Gzip | zlib.DeflateRaw | zlib.BrotliCompress, flush: number): Promise<{ first: Buffer; repeat: Buffer }> {
  const flushed: Buffer[] = [];
  let pending: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => pending.push(chunk));
  for (let i = 0; i < 3; i++) {
    stream.write(Buffer.alloc(mebibyte));
    await new Promise<void>((resolve) => stream.flush(flush, () => resolve()));
    flushed.push(Buffer.concat(pending));
    pending = [];
  }
  stream.destroy();
  if (!flushed[1]!.equals(flushed[2]!)) throw new Error('the compressor did not settle');
  return { first: flushed[0]!, repeat: flushed[1]! };
}

function* endless(start: Buffer, repeat: Buffer): Iterable<Buffer> {
  yield start;
  const batch = Buffer.concat(Array.from({ length: 64 }, () => repeat));
  for (;;) yield batch;
}

export async function makeBomb(kind: BombKind): Promise<Bomb> {
  switch (kind) {
    case 'gzip': {
      const { first, repeat } = await steadyState(zlib.createDeflateRaw({ level: 9 }), zlib.constants.Z_SYNC_FLUSH);
      const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
      return { encoding: 'gzip', expandsToBytes: 'endless', pieces: () => endless(Buffer.concat([header, first]), repeat) };
    }
    case 'deflate': {
      const { first, repeat } = await steadyState(zlib.createDeflateRaw({ level: 9 }), zlib.constants.Z_SYNC_FLUSH);
      return { encoding: 'deflate', expandsToBytes: 'endless', pieces: () => endless(Buffer.concat([Buffer.from([0x78, 0x01]), first]), repeat) };
    }
    case 'br': {
      const { first, repeat } = await steadyState(zlib.createBrotliCompress(), zlib.constants.BROTLI_OPERATION_FLUSH);
      return { encoding: 'br', expandsToBytes: 'endless', pieces: () => endless(first, repeat) };
    }
    case 'gzip in 3,072 members': {
      const member = zlib.gzipSync(Buffer.alloc(mebibyte), { level: 9 });
      const batch = Buffer.concat(Array.from({ length: 64 }, () => member));
      return {
        encoding: 'gzip',
        expandsToBytes: 3072 * mebibyte,
        pieces: function* () {
          for (let i = 0; i < 3072 / 64; i++) yield batch;
        },
      };
    }
  }
}

/**
 * Sends the bomb as the body, minding backpressure; resolves true when all of it went out and the response
 * ended, false when the client hung up first. `holdOpen` keeps the response open after the last piece, as a
 * server that never finishes does: then only the client can end the exchange.
 */
export function pour(response: ServerResponse, bomb: Bomb, holdOpen = false): Promise<boolean> {
  return new Promise((resolve) => {
    const pieces = bomb.pieces()[Symbol.iterator]();
    let closed = false;
    response.on('close', () => {
      closed = true;
      resolve(response.writableFinished);
    });
    const next = (): void => {
      while (!closed) {
        const piece = pieces.next();
        if (piece.done) {
          if (!holdOpen) response.end();
          return;
        }
        if (!response.write(piece.value)) {
          response.once('drain', next);
          return;
        }
      }
    };
    next();
  });
}
