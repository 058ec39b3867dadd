/**
 * An HTTPS target on 127.0.0.1 with a certificate made at test time by the `openssl` CLI
 * (self-signed, for CN=localhost and IP 127.0.0.1, valid for the given number of days), written
 * to a temp directory. It answers 200 `{"status":"ok"}` to everything. Without `openssl` on the
 * machine `FakeTlsTarget.available()` is false and the tests that need it say so and skip.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Certificate {
  readonly key: string;
  readonly cert: string;
}

export class FakeTlsTarget {
  hits = 0;

  private constructor(
    private readonly server: Server,
    readonly certificate: Certificate,
  ) {}

  /** Whether `openssl` can be run here. */
  static available(): boolean {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  /** A self-signed certificate valid from now for `days` days. */
  static makeCertificate(days: number): Certificate {
    const dir = mkdtempSync(join(tmpdir(), 'fake-tls-'));
    try {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
      return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  static async start(options: { days?: number; certificate?: Certificate } = {}): Promise<FakeTlsTarget> {
    const certificate = options.certificate ?? FakeTlsTarget.makeCertificate(options.days ?? 365);
    let target: FakeTlsTarget | undefined = undefined;
    const server = createServer({ key: certificate.key, cert: certificate.cert }, (_req, res) => {
      if (target) target.hits++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    target = new FakeTlsTarget(server, certificate);
    return target;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The certificate's expiry, as the server presents it. */
  get validTo(): number {
    const out = execFileSync('openssl', ['x509', '-noout', '-enddate'], { input: this.certificate.cert }).toString();
    return Date.parse(out.replace(/^notAfter=/, '').trim());
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
