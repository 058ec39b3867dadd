/**
 * Incremental splitter of a newline-delimited JSON body into its lines. Bytes are decoded as
 * UTF-8 across chunk boundaries (a multi-byte character split between two TCP reads
 * survives); lines end in LF or CRLF; blank lines are dropped. It does not parse JSON.
 */
import { StringDecoder } from 'node:string_decoder';

export class NdjsonLines {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  /** Where to resume looking for a newline, so a long line arriving in small pieces is scanned once. */
  private scanFrom = 0;
  private completedCount = 0;

  /** Non-blank lines completed so far. */
  get completed(): number {
    return this.completedCount;
  }

  /** Characters held for the line not yet complete: what a size cap bounds. */
  get pendingChars(): number {
    return this.buffer.length;
  }

  /** The lines completed by these bytes, in order, without their line ending. */
  push(bytes: Buffer | string): string[] {
    this.buffer += typeof bytes === 'string' ? bytes : this.decoder.write(bytes);
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const lf = this.buffer.indexOf('\n', Math.max(start, this.scanFrom));
      if (lf === -1) break;
      const line = this.buffer.slice(start, lf).replace(/\r$/, '');
      if (line.trim() !== '') {
        lines.push(line);
        this.completedCount++;
      }
      start = lf + 1;
    }
    if (start > 0) this.buffer = this.buffer.slice(start);
    this.scanFrom = this.buffer.length;
    return lines;
  }

  /**
   * The body ended: returns what followed the last newline (with any dangling partial
   * character as U+FFFD), or `undefined` when nothing but whitespace was left.
   */
  end(): string | undefined {
    const rest = (this.buffer + this.decoder.end()).replace(/\r$/, '');
    this.buffer = '';
    this.scanFrom = 0;
    return rest.trim() === '' ? undefined : rest;
  }
}
