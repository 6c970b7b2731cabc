// The Content-Security-Policy every page carries (report, matrix, history, a --templates page):
// no script, no load from anywhere but inline styles and data: images and fonts. Injected after
// the template renders, as the page's first element, so a custom template can neither leave it
// out nor put a script ahead of it.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'";
export const CSP_META = `<meta http-equiv="Content-Security-Policy" content="${CSP}">`;

/** What may come before the policy without loading or running anything. */
const HARMLESS_HEAD = /^(\s|<!DOCTYPE[^>]*>|<html[^>]*>|<head>|<meta charset="[^"]*">)*$/i;

/**
 * `html` with CSP_META ahead of every element that could load or run something. A page that
 * already has it there (the built-in templates) is returned unchanged, byte for byte.
 */
export function withCsp(html: string): string {
  const at = html.indexOf(CSP_META);
  if (at >= 0 && HARMLESS_HEAD.test(html.slice(0, at))) return html;
  // Inside <head> when the page opens one before anything else (a meta ahead of <html> would
  // make the parser open the head itself, and the page's own <html> a stray tag), else after
  // the doctype.
  const head = /^\s*(<!DOCTYPE[^>]*>\s*)?(<html[^>]*>\s*)?<head[^>]*>\n?(<meta charset="[^"]*">\n?)?/i.exec(html);
  const doctype = /^\s*<!DOCTYPE[^>]*>\n?/i.exec(html);
  const cut = head ? head[0].length : doctype ? doctype[0].length : 0;
  return `${html.slice(0, cut)}${CSP_META}\n${html.slice(cut)}`;
}
