// Recognises an HTML page where a profile or trace was expected (a login page, a web UI, an error page
// from a proxy) and reads its title, so the message can name the page. Pure: bytes or text in.

import type { CaptureKind } from './captureKinds';
import { CaptureError } from './captureError';

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

/** When the first bytes of a body are an HTML page: its title (possibly undefined); otherwise null. */
export function detectHtmlPage(head: Uint8Array): { readonly title: string | undefined } | null {
  const start = new TextDecoder().decode(head.subarray(0, 16384));
  return HTML_START.test(start.replace(/^\uFEFF/, '')) ? { title: htmlTitle(start) } : null;
}

/** The error for an HTML page served where a profile or trace was expected. */
export function htmlInsteadOfProfile(url: string, kind: CaptureKind, title: string | undefined): CaptureError {
  const page = title ? ` ("${title}")` : '';
  return new CaptureError(
    'html-instead-of-profile',
    `${url} returned an HTML page${page} instead of a ${kind.validator === 'trace' ? 'trace' : 'profile'}. The URL probably leads to a web UI or a login page rather than Go's pprof handlers: check the endpoint's base URL (usually http://HOST:PORT/debug/pprof) and its credentials.`,
    { url },
  );
}
