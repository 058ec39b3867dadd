/**
 * Reads a server's TLS certificate for `[CERTIFICATE_EXPIRATION]`: one TLS handshake to the
 * check's host and port, verified like the HTTP request will be (untrusted or self-signed
 * certificates fail unless the monitor says `client: {insecure: true}`), then closed. A
 * separate handshake because the HTTP client does not say which certificate a pooled
 * connection saw; it is made only for monitors whose conditions ask about the certificate.
 */
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { errorCode } from './probe-result';

export type CertificateReading =
  | { readonly ok: true; readonly validTo: number }
  | { readonly ok: false; readonly code: string | undefined; readonly detail: string; readonly timedOut: boolean };

export function readCertificate(url: URL, options: { insecure: boolean; timeoutMs: number }): Promise<CertificateReading> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  return new Promise((resolve) => {
    const socket = connect({ host, port, servername: isIP(host) ? undefined : host, rejectUnauthorized: !options.insecure, ALPNProtocols: ['http/1.1'] });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, code: undefined, detail: `TLS handshake timed out after ${options.timeoutMs} ms`, timedOut: true });
    }, options.timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const validTo = Date.parse(socket.getPeerCertificate().valid_to);
      socket.end();
      socket.destroy();
      resolve(Number.isFinite(validTo) ? { ok: true, validTo } : { ok: false, code: 'CERT_INVALID', detail: 'the certificate has no readable expiry', timedOut: false });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok: false, code: errorCode(error), detail: `${errorCode(error) ?? 'TLS'}: ${error.message}`, timedOut: false });
    });
  });
}
