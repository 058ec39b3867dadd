/**
 * Recent outcomes of one deployment over a sliding window, for the reliability score: the
 * same successes and failures the circuit breaker is told about. A ring of time buckets keeps
 * running totals, so recording an attempt and reading the rate are O(1) (expiring buckets
 * costs at most one pass over the fixed-size ring, whatever the traffic). Time comes in as an
 * argument.
 *
 * Reliability is (successes + 1) / (attempts + 1): a deployment never seen scores 1, one
 * failure out of one scores 0.5, and one old failure among many successes barely counts.
 * When the failures age out of the window, the score comes back.
 */
export class OutcomeWindow {
  private readonly successes: Int32Array;
  private readonly failures: Int32Array;
  private readonly bucketMs: number;
  /** Index of the newest bucket in the ring and the bucket number (time / bucketMs) it holds. */
  private head = 0;
  private headBucket = -1;
  private totalSuccesses = 0;
  private totalFailures = 0;

  constructor(
    readonly windowMs: number,
    private readonly buckets = 10,
  ) {
    if (!(windowMs > 0) || buckets < 1) throw new RangeError('OutcomeWindow needs a positive window and at least one bucket');
    this.successes = new Int32Array(buckets);
    this.failures = new Int32Array(buckets);
    this.bucketMs = windowMs / buckets;
  }

  /** One verdict at `now` (a time before the newest bucket counts in the newest bucket). */
  record(now: number, ok: boolean): void {
    this.advance(now);
    if (ok) {
      this.successes[this.head]++;
      this.totalSuccesses++;
    } else {
      this.failures[this.head]++;
      this.totalFailures++;
    }
  }

  /** 0..1, 1 for a deployment with no outcome in the window. */
  reliability(now: number): number {
    this.advance(now);
    return (this.totalSuccesses + 1) / (this.totalSuccesses + this.totalFailures + 1);
  }

  /** Attempts with a verdict in the window. */
  attempts(now: number): number {
    this.advance(now);
    return this.totalSuccesses + this.totalFailures;
  }

  counts(now: number): { successes: number; failures: number } {
    this.advance(now);
    return { successes: this.totalSuccesses, failures: this.totalFailures };
  }

  /** Moves the head to `now`'s bucket, emptying the buckets that fell out of the window. */
  private advance(now: number): void {
    const bucket = Math.floor(now / this.bucketMs);
    if (bucket <= this.headBucket) return;
    const steps = this.headBucket < 0 ? this.buckets : Math.min(bucket - this.headBucket, this.buckets);
    for (let i = 0; i < steps; i++) {
      this.head = (this.head + 1) % this.buckets;
      this.totalSuccesses -= this.successes[this.head];
      this.totalFailures -= this.failures[this.head];
      this.successes[this.head] = 0;
      this.failures[this.head] = 0;
    }
    this.headBucket = bucket;
  }
}
