// The reviewer's notes (`--notes FILE.md`) as HTML: a small, safe Markdown subset — headings,
// paragraphs, bullet and numbered lists, **bold**, *italic*, `code`, and http(s)/mailto links.
// Everything is escaped first, so raw HTML and scripts in the notes show as text, never run.

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Inline markup on already-escaped text. */
function inline(escaped: string): string {
  return escaped
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\(((?:https?:\/\/|mailto:)[^\s)]+)\)/g, '<a href="$2">$1</a>');
}

export function notesToHtml(markdown: string): string {
  const out: string[] = [];
  let para: string[] = [];
  let list: { tag: 'ul' | 'ol'; items: string[] } | null = null;
  const flush = () => {
    if (para.length > 0) out.push(`<p>${inline(escape(para.join(' ')))}</p>`);
    para = [];
    if (list) out.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(escape(i))}</li>`).join('')}</${list.tag}>`);
    list = null;
  };
  let lastLevel = 2;
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    const ul = /^\s*[-*+]\s+(.*)$/.exec(line);
    const ol = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (line.trim() === '') flush();
    else if (h) {
      flush();
      // Notes sit under the report's own h2, so their headings start at h3; none is more than
      // one level below the heading before it (### after # is an h4, not an h5).
      const level = Math.min((h[1]?.length ?? 1) + 2, lastLevel + 1);
      lastLevel = level;
      out.push(`<h${level}>${inline(escape(h[2] ?? ''))}</h${level}>`);
    } else if (ul || ol) {
      const tag = ul ? 'ul' : 'ol';
      if (para.length > 0 || (list && list.tag !== tag)) flush();
      list ??= { tag, items: [] };
      list.items.push((ul ?? ol)?.[1] ?? '');
    } else if (list && /^\s+/.test(raw)) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
    } else {
      if (list) flush();
      para.push(line.trim());
    }
  }
  flush();
  return out.join('\n');
}
