// The HTML shell of every Go Trace Lens webview: a strict Content-Security-Policy with a fresh nonce per
// render, one script and its styles from dist/webview, nothing inline but the nonce'd script tag.
// Pure (no vscode import), so the policy itself is unit-tested, and the webview tests serve the same page.

import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the origin webview resources are served from. */
  readonly cspSource: string;
  /** The URI, as the webview sees it, of a file in dist/webview. */
  readonly resource: (file: string) => string;
  readonly title: string;
  /** The bundle (dist/webview/<view>.js, styled by webviewStyleFiles(view)) and the view it renders. */
  readonly view: string;
  /** Override for tests; otherwise a new random nonce. */
  readonly nonce?: string;
}

/**
 * The style sheets of a view, as the build copies them into dist/webview (media/<dir>/<file>.css becomes
 * <dir>.<file>.css): the base every webview shares, then the view's own.
 */
export function webviewStyleFiles(view: string): string[] {
  return ['shared.base.css', `${view}.style.css`];
}

export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The Content-Security-Policy: no inline script or style, no eval, no network beyond the resource root. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    // Decoding workers are created from a blob of the worker bundle fetched from the resource root.
    `worker-src blob:`,
    `connect-src ${cspSource}`,
  ].join('; ');
}

export function webviewHtml(options: WebviewHtmlOptions): string {
  const nonce = options.nonce ?? createNonce();
  const styles = webviewStyleFiles(options.view).map((file) => `<link rel="stylesheet" href="${escapeAttribute(options.resource(file))}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(options.cspSource, nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeAttribute(options.title)}</title>
    ${styles}
  </head>
  <body data-view="${escapeAttribute(options.view)}">
    <div id="app"></div>
    <script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(options.resource(`${options.view}.js`))}"></script>
  </body>
</html>`;
}
