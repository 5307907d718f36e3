// Recognises what a captured body is from its first bytes, before (and besides) the decoders: a gzip
// stream, an execution trace header (`go 1.NN trace`), an HTML page, a text dump (`?debug=1` output, an
// error page), or nothing at all. Pure: bytes in, a verdict out.

export type SniffedContent =
  | { readonly type: 'empty' }
  | { readonly type: 'gzip' }
  | { readonly type: 'execution-trace'; readonly goVersion: string }
  | { readonly type: 'html'; readonly title: string | undefined }
  | { readonly type: 'text'; readonly firstLine: string }
  | { readonly type: 'binary' };

const TRACE_HEADER = /^go 1\.(\d+) trace\0*/;
const HTML_START = /^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<title[\s>]|<!--)/i;

/** The `<title>` of an HTML page, cleaned and capped, or undefined. */
export function htmlTitle(html: string): string | undefined {
  const match = /<title[^>]*>([^<]*)<\/title>/i.exec(html);
  if (!match) return undefined;
  const title = match[1]!
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
  if (title === '') return undefined;
  return title.length > 120 ? `${title.slice(0, 120)}…` : title;
}

function isMostlyText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let printable = 0;
  for (const b of bytes) {
    if (b === 0) return false;
    if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc2) printable++;
  }
  return printable / bytes.length > 0.95;
}

/** What the first bytes (a few KB are enough) of a body are. */
export function sniffContent(head: Uint8Array): SniffedContent {
  if (head.length === 0) return { type: 'empty' };
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { type: 'gzip' };
  const ascii = new TextDecoder('latin1').decode(head.subarray(0, 4096));
  const trace = TRACE_HEADER.exec(ascii);
  if (trace) return { type: 'execution-trace', goVersion: `1.${trace[1]}` };
  if (HTML_START.test(ascii)) return { type: 'html', title: htmlTitle(new TextDecoder().decode(head.subarray(0, 16384))) };
  if (isMostlyText(head.subarray(0, 4096))) {
    const firstLine = new TextDecoder().decode(head.subarray(0, 512)).split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
    return { type: 'text', firstLine: firstLine.trim().slice(0, 160) };
  }
  return { type: 'binary' };
}
