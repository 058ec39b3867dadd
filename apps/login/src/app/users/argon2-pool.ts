/**
 * Argon2id off the event loop. The hashing is WebAssembly (`hash-wasm`: no native module to
 * build or to crash on load — the prebuilt native `argon2` binary segfaults on some glibc
 * machines), run in a small pool of worker threads so a sign-in's ~50 ms of hashing never
 * blocks other requests. PHC strings in and out, compatible with every argon2 library.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_PARAMS = Object.freeze({ memorySize: 19_456, iterations: 2, parallelism: 1, hashLength: 32 });

type Job = { readonly op: 'hash'; readonly password: string; readonly salt: string } | { readonly op: 'verify'; readonly password: string; readonly hash: string };

interface Pending {
  readonly resolve: (value: string | boolean) => void;
  readonly reject: (error: Error) => void;
}

// Runs inside each worker; `hashWasmPath` is resolved by the main thread, so a missing package
// fails at start, not at the first sign-in.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { argon2id, argon2Verify } = require(workerData.hashWasmPath);
parentPort.on('message', async (job) => {
  try {
    const result = job.op === 'hash'
      ? await argon2id({ password: job.password, salt: Buffer.from(job.salt, 'base64'), ...workerData.params, outputType: 'encoded' })
      : await argon2Verify({ password: job.password, hash: job.hash });
    parentPort.postMessage({ id: job.id, result });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String((error && error.message) || error) });
  }
});`;

class PoolWorker {
  readonly pending = new Map<number, Pending>();
  worker: Worker;
  private respawns: number[] = [];

  constructor(private readonly spawnWorker: () => Worker) {
    this.worker = this.start();
  }

  private start(): Worker {
    const worker = this.spawnWorker();
    worker.unref();
    worker.on('message', (message: { id: number; result?: string | boolean; error?: string }) => {
      const job = this.pending.get(message.id);
      if (!job) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) job.reject(new Error(`argon2: ${message.error}`));
      else job.resolve(message.result as string | boolean);
    });
    worker.on('error', (error: Error) => this.fail(error));
    worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`argon2 worker exited with code ${code}`));
    });
    return worker;
  }

  /** A crashed worker fails its jobs and is replaced, so one bad job doesn't stop sign-ins. */
  private fail(error: Error): void {
    for (const job of this.pending.values()) job.reject(error);
    this.pending.clear();
    if (closed.has(this)) return;
    // At most 5 replacements a minute: a worker that can't even start must not spin.
    const now = Date.now();
    this.respawns = this.respawns.filter((t) => now - t < 60_000);
    if (this.respawns.length >= 5) return;
    this.respawns.push(now);
    this.worker = this.start();
  }
}

const closed = new WeakSet<PoolWorker>();

export class Argon2Pool {
  private readonly workers: PoolWorker[];
  private nextId = 0;

  constructor(size = 2) {
    const hashWasmPath = createRequire(join(process.cwd(), 'noop.js')).resolve('hash-wasm');
    const spawn = (): Worker => new Worker(WORKER_SOURCE, { eval: true, workerData: { hashWasmPath, params: ARGON2_PARAMS } });
    this.workers = Array.from({ length: Math.max(1, size) }, () => new PoolWorker(spawn));
  }

  hash(password: string): Promise<string> {
    return this.run({ op: 'hash', password, salt: randomBytes(16).toString('base64') }) as Promise<string>;
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.run({ op: 'verify', password, hash }) as Promise<boolean>;
  }

  async close(): Promise<void> {
    for (const w of this.workers) closed.add(w);
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private run(job: Job): Promise<string | boolean> {
    // The least busy worker takes the job.
    const target = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      target.worker.postMessage({ ...job, id });
    });
  }
}
