/**
 * An address only the test's browser can use: a reverse proxy on 127.0.0.1 that forwards a
 * request to `target` only when it carries the browser's marker header, and refuses everyone
 * else (the servers under test) with 421. It stands in for "the issuer is a URL browsers reach
 * but containers do not" (docker compose's http://localhost:8090), so a server that wrongly
 * calls the issuer fails the test instead of quietly working on loopback.
 */
import { createServer, request, type Server } from 'node:http';

export const BROWSER_MARKER = 'x-journey-browser';

export interface BrowserOnlyProxy {
  /** Requests refused because they came without the marker (a server calling the issuer). */
  readonly refused: string[];
  close(): Promise<void>;
}

export async function startBrowserOnlyProxy(port: number, target: { host: string; port: number }): Promise<BrowserOnlyProxy> {
  const refused: string[] = [];
  const server: Server = createServer((req, res) => {
    if (req.headers[BROWSER_MARKER] !== '1') {
      refused.push(`${req.method} ${req.url}`);
      res.writeHead(421, { 'content-type': 'text/plain' }).end('this address is for browsers only');
      return;
    }
    const headers = { ...req.headers };
    delete headers[BROWSER_MARKER];
    const upstream = request({ host: target.host, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on('error', (error) => res.writeHead(502).end(error.message));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
