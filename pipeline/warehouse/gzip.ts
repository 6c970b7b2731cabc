// Integrity of a gzip log, checked apart from DuckDB: DuckDB reads a truncated .gz up to the
// cut without a word (measured: 54% of a node's lines, exit 0), so every .gz of a run is also
// decompressed here and its output thrown away — the stream's own end (trailer CRC and length)
// is what tells a whole file from a cut one. Memory stays at zlib's buffers whatever the size;
// no line is looked at (DuckDB alone reads the logs).
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** null when the file is a complete gzip stream, else why not (zlib's words). Never rejects. */
export async function gzipProblem(path: string): Promise<string | null> {
  const discard = new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });
  try {
    await pipeline(createReadStream(path), createGunzip(), discard);
    return null;
  } catch (err) {
    return String((err as Error)?.message ?? err);
  }
}
