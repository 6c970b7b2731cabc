// Reading node log files as bytes, before DuckDB sees them (ingest's helpers): the banner lines
// of a plain log's head, a log too large to hold split into chunks of whole lines, and a run's
// files grouped into batches of about one batch's bytes.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import { CliError } from '../core/index.js';

/** Compressed .gz bytes are counted this many times over when files are batched (a guess of the ratio). */
export const GZIP_RATIO = 8;
/** Bytes of a plain log's head that bannerLines reads. */
const BANNER_BYTES = 64 * 1024;

/**
 * How many lines of a plain log's head (its first BANNER_BYTES, whole lines only) begin with
 * neither '{' nor anything DuckDB might read otherwise — or null when the head is not that
 * clear: a gzipped file, a line that is blank or begins with whitespace, a carriage return,
 * bytes that are not UTF-8. Each such line is an unparsed row of the scan, so when their
 * number equals the file's unparsed rows, they are all of them: no line is malformed. A cheap
 * first try of step 3 (no JSON is read); any doubt goes to the head scan in SQL.
 */
export async function bannerLines(path: string): Promise<number | null> {
  if (path.endsWith('.gz')) return null;
  let fh: FileHandle | null = null;
  try {
    fh = await open(path, 'r');
    const buf = Buffer.alloc(BANNER_BYTES);
    const { bytesRead } = await fh.read(buf, 0, BANNER_BYTES, 0);
    const head = buf.subarray(0, bytesRead);
    // Whole lines only: up to the last line end, or the whole file when it is shorter.
    const end = bytesRead < BANNER_BYTES ? bytesRead : head.lastIndexOf(10) + 1;
    if (end <= 0) return null;
    const text = head.subarray(0, end);
    if (!isUtf8(text) || text.includes(13)) return null;
    let other = 0;
    for (const line of text.toString('utf8').split('\n').slice(0, text[end - 1] === 10 ? -1 : undefined)) {
      const first = line.charCodeAt(0);
      if (line.length === 0 || /\s/.test(line[0] ?? '')) return null;
      if (first !== 123) other++;
    }
    return other;
  } catch {
    return null;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/**
 * The file at `path` as chunk files of whole lines under `dir`, each about `limit` bytes (cut
 * at the first line end past it), yielded one at a time: the caller loads a chunk and removes
 * it before the next is written, so one chunk is on disk at a time. Bytes are copied, not
 * parsed. A `.gz` is decompressed on the way; `gzipEnd` then hears how its stream ended (null
 * when whole, else zlib's words, as gzip.ts gives them): a cut file yields what came before
 * the cut, as DuckDB reads a cut file.
 */
export async function* splitLines(path: string, limit: number, dir: string, gzipEnd: (problem: string | null) => void): AsyncGenerator<string> {
  let n = 0;
  let out: FileHandle | null = null;
  let name = '';
  let bytes = 0;
  const close = async (): Promise<string | null> => {
    const done = out && bytes > 0 ? name : null;
    await out?.close();
    if (out && !done) await rm(name, { force: true });
    out = null;
    bytes = 0;
    return done;
  };
  const log = openLog(path);
  try {
    for await (const data of log.chunks) {
      let buf = data as Buffer;
      while (buf.length > 0) {
        if (!out) {
          name = join(dir, `chunk-${n++}.ndjson`);
          out = await open(name, 'w');
        }
        // Past the limit, the chunk ends with the first line end in what comes next.
        const cut = bytes + buf.length < limit ? -1 : buf.indexOf(10, Math.max(0, limit - bytes - 1));
        const take = cut < 0 ? buf : buf.subarray(0, cut + 1);
        await out.write(take);
        bytes += take.length;
        buf = buf.subarray(take.length);
        if (cut >= 0) {
          const done = await close();
          if (done) yield done;
        }
      }
    }
    if (log.gzip) gzipEnd(null);
  } catch (err) {
    const fatal = log.readError(err);
    if (fatal) {
      await close().catch(() => undefined);
      throw fatal;
    }
    gzipEnd(String((err as Error).message));
  } finally {
    log.close();
  }
  const last = await close();
  if (last) yield last;
}

/** An error of the gzip stream itself (a cut or damaged file), not of reading the file. */
function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** A node log's bytes as they are read, and how a failure while reading them is told apart. */
export interface LogBytes {
  /** The file's bytes, decompressed when it is a .gz; errors of the file reach the loop. */
  chunks: AsyncIterable<Buffer>;
  gzip: boolean;
  /**
   * The error to throw for a failure while reading, or null when it is the gzip stream's own
   * (a cut or damaged .gz): the lines before the cut stand, as DuckDB reads them.
   */
  readError(err: unknown): CliError | null;
  close(): void;
}

/** Opens a node log for reading in large chunks (census and chunked loads share it). */
export function openLog(path: string): LogBytes {
  const raw = createReadStream(path, { highWaterMark: 8 << 20 });
  const gunzip = path.endsWith('.gz') ? createGunzip({ chunkSize: 1 << 20 }) : null;
  if (gunzip) raw.on('error', (err) => gunzip.destroy(err));
  return {
    chunks: (gunzip ? raw.pipe(gunzip) : raw) as AsyncIterable<Buffer>,
    gzip: gunzip !== null,
    readError: (err) => {
      if (gunzip && isZlibError(err)) return null;
      return err instanceof CliError ? err : new CliError(`${path}: cannot read this node log (${firstLine(err)}).`);
    },
    close: () => raw.destroy(),
  };
}

/** Splits files into batches of about `limit` bytes of log text each, keeping their order. */
export async function batchFiles(paths: string[], limit: number): Promise<{ paths: string[]; bytes: number }[]> {
  const batches: { paths: string[]; bytes: number }[] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const p of paths) {
    const size = (await stat(p)).size * (p.endsWith('.gz') ? GZIP_RATIO : 1);
    if (current.length > 0 && bytes + size > limit) {
      batches.push({ paths: current, bytes });
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += size;
  }
  if (current.length > 0) batches.push({ paths: current, bytes });
  return batches;
}

export function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0] ?? 'unknown error';
}
