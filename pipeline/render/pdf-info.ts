// PDF document information (Title, Author, Subject, Creator) for a PDF printed by Chromium,
// which names itself (the HeadlessChrome user agent) as the Creator and leaves Author and
// Subject out. The new Info dictionary is appended as an incremental update (PDF 32000-1
// §7.5.6): the printed bytes stay as they are, a new object, cross-reference section and
// trailer follow them, and readers take the last trailer's /Info.
import { Buffer } from 'node:buffer';
import type { Report } from '../core/index.js';

export interface PdfInfo {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: string;
  creator?: string;
  producer?: string;
}

/** A PDF text string in UTF-16BE with its byte order mark, written in hex: safe for any text. */
export function pdfTextString(s: string): string {
  const bytes = [0xfe, 0xff];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    bytes.push(c >> 8, c & 0xff);
  }
  return `<${Buffer.from(bytes).toString('hex').toUpperCase()}>`;
}

const KEYS: [keyof PdfInfo, string][] = [
  ['title', 'Title'],
  ['author', 'Author'],
  ['subject', 'Subject'],
  ['keywords', 'Keywords'],
  ['creator', 'Creator'],
  ['producer', 'Producer'],
];

/**
 * Returns the PDF with `info` as its document information, keeping the old dictionary's
 * entries that `info` does not set (CreationDate, Producer). A PDF whose last cross-reference
 * section is not a classic table (a cross-reference stream) is returned unchanged.
 */
export function withPdfInfo(pdf: Uint8Array, info: PdfInfo): Buffer {
  const buf = Buffer.from(pdf);
  const tail = buf.subarray(Math.max(0, buf.length - 4096)).toString('latin1');
  const sx = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref/.exec(tail.slice(tail.lastIndexOf('trailer')));
  if (!sx || !trailer) return buf;
  const body = trailer[1] ?? '';
  const size = Number(/\/Size\s+(\d+)/.exec(body)?.[1]);
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(body)?.[1];
  if (!Number.isInteger(size) || size <= 0 || root === undefined) return buf;
  const old = new Map<string, string>();
  const oldRef = /\/Info\s+(\d+)\s+(\d+)\s+R/.exec(body);
  if (oldRef) {
    // The old dictionary's dates: kept so the document's creation time stays Chromium's.
    const objText = buf.toString('latin1');
    const at = objText.lastIndexOf(`\n${oldRef[1]} ${oldRef[2]} obj`);
    const dict = at < 0 ? null : /<<([\s\S]*?)>>/.exec(objText.slice(at, at + 4096));
    for (const m of (dict?.[1] ?? '').matchAll(/\/(CreationDate|ModDate)\s*(\([^)]*\))/g)) old.set(m[1] ?? '', m[2] ?? '');
  }
  const entries = [...KEYS.flatMap(([k, name]) => (info[k] === undefined ? [] : [`/${name} ${pdfTextString(info[k])}`])), ...[...old].map(([k, v]) => `/${k} ${v}`)];
  const start = buf.length + (buf[buf.length - 1] === 0x0a ? 0 : 1);
  const obj = `${size} 0 obj\n<<${entries.join('\n')}>>\nendobj\n`;
  const xrefAt = start + Buffer.byteLength(obj, 'latin1');
  const update =
    (buf[buf.length - 1] === 0x0a ? '' : '\n') +
    obj +
    `xref\n${size} 1\n${String(start).padStart(10, '0')} 00000 n \n` +
    `trailer\n<</Size ${size + 1}\n/Root ${root}\n/Info ${size} 0 R\n/Prev ${sx[1]}>>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([buf, Buffer.from(update, 'latin1')]);
}

/** A comparison report's document information: what is compared, on which workload, by which tool. */
export function reportPdfInfo(report: Report): PdfInfo {
  const cands = report.candidates && report.candidates.length > 1 ? report.candidates.map((c) => c.label) : [report.candidate.label];
  const what = `${cands.join(', ')} against ${report.baseline.label}`;
  return {
    title: report.title,
    author: `bench-report ${report.tool_version}`,
    subject: `Benchmark comparison: ${what}${report.workload ? ` (${report.workload})` : ''}`,
    keywords: 'Cardano node, benchmark, bench-report',
    creator: `bench-report ${report.tool_version} (HTML printed by Chromium)`,
  };
}
