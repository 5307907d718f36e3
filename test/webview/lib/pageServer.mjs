// A tiny static server for the webview component tests: `/` is the flame graph page exactly as the
// extension builds it (webviewHtml(): the same Content-Security-Policy, one nonce'd script, styles from
// files), `/webview/<file>` serves the built bundle and styles from dist/webview (or WEBVIEW_DIST).

import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';
import { WEBVIEW_DIST, missingPrerequisites } from './paths.mjs';

const { webviewHtml } = createRequire(import.meta.url)('../../../client/src/webview/webviewHtml.ts');

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/**
 * Starts the server on a free loopback port. `view` is the webview name (<dist>/<view>.js and its
 * <view>.*.css styles); `dist` defaults to dist/webview. Resolves to { origin, pageUrl, close() }.
 */
export async function startPageServer(view = 'flamegraph', { dist = WEBVIEW_DIST } = {}) {
  const missing = missingPrerequisites(view, dist);
  if (missing.length > 0) throw new Error(`The webview tests cannot run:\n  - ${missing.join('\n  - ')}`);
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const origin = `http://${request.headers.host}`;
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const html = webviewHtml({ cspSource: origin, resource: (file) => `${origin}/webview/${file}`, title: `${view} test`, view });
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }
    if (url.pathname.startsWith('/webview/')) {
      const file = normalize(join(dist, url.pathname.slice('/webview/'.length)));
      if (file.startsWith(dist) && existsSync(file)) {
        response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        response.end(readFileSync(file));
        return;
      }
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    pageUrl: `${origin}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
