/**
 * One request through a node:http keep-alive `agent`: its next request reuses the socket unless
 * the answer told it to close (what the bad-URL specs check: an app that refuses a request
 * before routing must say `Connection: close`, or the client's next request meets a closed
 * socket). Fails after 10 s rather than waiting for the suite's timeout.
 */
import { request, type Agent } from 'node:http';

export interface KeepAliveAnswer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
  /** The `Connection` header, when the answer sent one. */
  readonly connection: string | undefined;
}

export function sendThroughAgent(agent: Agent, url: string, headers: Readonly<Record<string, string>> = {}): Promise<KeepAliveAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body, connection: res.headers.connection }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${url.slice(0, 60)}…`)));
    req.on('error', reject);
    req.end();
  });
}
