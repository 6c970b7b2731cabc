// The line census of one node log, from its bytes: how many lines are log lines (they begin
// with '{') and how many are other lines, and which log lines are surely malformed — without
// DuckDB, so no thread count or file size can take it past the ingest memory cap, and without
// parsing JSON (ingest step 4, pipeline/warehouse/ingest.ts).
import { isUtf8 } from 'node:buffer';
import { openLog } from './log-files.js';

/** A file's lines as the census counts them. */
export interface LineCount {
  logLines: number;
  otherLines: number;
  /**
   * Log lines that cannot be JSON whatever DuckDB makes of them: cut (the last byte that is
   * not a space or tab is not '}', as a node killed mid-write leaves a line), or not UTF-8.
   */
  cutLines: number;
  badUtf8Lines: number;
  /** The first cut lines that are UTF-8, verbatim, and the first lines that are not UTF-8 (each invalid byte shown as '?', as DuckDB showed them). */
  cutSamples: string[];
  badUtf8: string[];
}

/** Longest line kept as a sample (longer ones are counted, not kept). */
const MAX_SAMPLE_BYTES = 1 << 20;

/**
 * The census of the file at `path` (a `.gz` decompressed on the way, up to a cut, as DuckDB
 * reads it). Lines end as DuckDB's CSV reader ends them with strict_mode = false, which the
 * census once used (queries/10_log_head.sql still does): '\n', '\r\n', or a lone '\r' — a '\r'
 * right after a lone '\n' is an empty line of its own, and a '\n' after it another. Memory is
 * one read buffer and at most `samples` lines of each kind. (The SQL census held a 256 MiB
 * buffer per DuckDB thread and file: 3 messy logs on 4 threads went past the memory cap.)
 */
export async function countLines(path: string, samples: number): Promise<LineCount> {
  const out: LineCount = { logLines: 0, otherLines: 0, cutLines: 0, badUtf8Lines: 0, cutSamples: [], badUtf8: [] };
  // The line being read: its first byte (-1: none yet), its last byte that is not a space or
  // tab, and its earlier pieces when it spans read buffers (a log line only).
  let first = -1;
  let last = -1;
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let open = false;
  // The byte before: a '\r' (and whether that '\r' came right after a lone '\n'), or a lone '\n'.
  let afterCr = false;
  let crAfterLf = false;
  let afterLf = false;
  /** Ends the line; `tail` is its part in the current buffer, `utf8` true when that buffer is all UTF-8. */
  const end = (tail: Buffer | null, utf8: boolean): void => {
    if (first !== 123) {
      out.otherLines++;
    } else {
      out.logLines++;
      const spans = pieces.length > 0;
      const tooLong = pieceBytes + (tail?.length ?? 0) > MAX_SAMPLE_BYTES;
      const line = spans && !tooLong ? Buffer.concat(tail ? [...pieces, tail] : pieces) : (tail ?? Buffer.alloc(0));
      // A line within an all-UTF-8 buffer is UTF-8; one that spans buffers is checked whole.
      const valid = spans ? tooLong || isUtf8(line) : utf8 || isUtf8(line);
      if (!valid) {
        out.badUtf8Lines++;
        if (out.badUtf8.length < samples) out.badUtf8.push(new TextDecoder('utf-8').decode(line).replaceAll('\uFFFD', '?'));
      } else if (last !== 125) {
        out.cutLines++;
        if (out.cutSamples.length < samples && !tooLong) out.cutSamples.push(line.toString('utf8'));
      }
    }
    first = -1;
    last = -1;
    pieces = [];
    pieceBytes = 0;
    open = false;
  };
  const log = openLog(path);
  try {
    for await (const data of log.chunks) {
      const buf = data as Buffer;
      const utf8 = isUtf8(buf);
      const plain = buf.indexOf(13) < 0;
      let pos = 0;
      while (pos < buf.length) {
        if (!open) {
          const b = buf[pos] ?? 0;
          if (b === 10) {
            // A '\n' right after '\r' ends nothing (one '\r\n'), unless that '\r' followed a lone '\n'.
            const merged: boolean = afterCr && !crAfterLf;
            if (!merged) end(null, true);
            afterCr = false;
            afterLf = !merged;
            pos++;
            continue;
          }
          if (b === 13) {
            end(null, true);
            crAfterLf = afterLf;
            afterCr = true;
            afterLf = false;
            pos++;
            continue;
          }
          open = true;
          first = b;
          afterCr = false;
          afterLf = false;
        }
        // Inside a line: to its end in this buffer.
        let stop = buf.indexOf(10, pos);
        if (!plain) {
          const cr = buf.indexOf(13, pos);
          if (cr >= 0 && (stop < 0 || cr < stop)) stop = cr;
        }
        const piece = buf.subarray(pos, stop < 0 ? buf.length : stop);
        let k = piece.length - 1;
        while (k >= 0 && (piece[k] === 32 || piece[k] === 9)) k--;
        if (k >= 0) last = piece[k] ?? -1;
        if (stop < 0) {
          // The line goes on in the next buffer: keep this piece of a log line (a sample may need it).
          if (first === 123 && pieceBytes <= MAX_SAMPLE_BYTES) pieces.push(Buffer.from(piece));
          pieceBytes += piece.length;
          break;
        }
        const term = buf[stop];
        end(piece, utf8);
        afterCr = term === 13;
        crAfterLf = false;
        afterLf = term === 10;
        pos = stop + 1;
      }
    }
  } catch (err) {
    // A cut .gz gives the lines before the cut, as DuckDB reads it (gzip.ts names the cut).
    const fatal = log.readError(err);
    if (fatal) throw fatal;
  } finally {
    log.close();
  }
  if (open) end(null, true);
  return out;
}
