// An HTTPS server with a self-signed certificate for the capture tests: the key is generated in the test
// (node:crypto), the certificate is signed with it by the machine's `openssl` (valid for localhost and
// 127.0.0.1, one day). Used to check that an untrusted certificate fails with a `tls` error, and that the
// same server is accepted once its certificate is passed as a trusted CA.

import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestServer } from './captureServers';

export interface SelfSignedCertificate {
  readonly keyPem: string;
  readonly certPem: string;
}

/** A fresh P-256 key and a self-signed certificate for localhost / 127.0.0.1. */
export function makeSelfSignedCertificate(): SelfSignedCertificate {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const dir = mkdtempSync(join(tmpdir(), 'gtl-tls-'));
  try {
    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, keyPem, { mode: 0o600 });
    const certPem = execFileSync(
      'openssl',
      ['req', '-x509', '-key', keyFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return { keyPem, certPem };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An HTTPS server on 127.0.0.1 with `certificate`, running `handler`. */
export function startHttpsServer(certificate: SelfSignedCertificate, handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<TestServer> {
  const requests: http.IncomingHttpHeaders[] = [];
  const paths: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = https.createServer({ key: certificate.keyPem, cert: certificate.certPem }, (req, res) => {
    requests.push(req.headers);
    paths.push(req.url ?? '');
    handler(req, res);
  });
  server.on('connection', (socket: net.Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that rejects the certificate resets the handshake; that is expected here.
  server.on('tlsClientError', () => undefined);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      const origin = `https://127.0.0.1:${port}`;
      resolve({
        origin,
        port,
        baseUrl: `${origin}/debug/pprof`,
        requests,
        paths,
        connections: () => connections,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
