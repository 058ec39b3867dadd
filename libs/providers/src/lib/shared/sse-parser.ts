/**
 * Incremental Server-Sent Events parser (the WHATWG event-stream rules the upstreams follow):
 * lines end in LF, CRLF or CR; `data:` lines of one event are joined with `\n`; a blank line
 * dispatches; `:` lines are comments (keep-alives). Bytes are decoded as UTF-8 across chunk
 * boundaries, so a multi-byte character split between two TCP reads survives.
 */
import { StringDecoder } from 'node:string_decoder';

export interface SseMessage {
  readonly event?: string;
  readonly data: string;
}

export class SseParser {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private eventName: string | undefined;
  private dataLines: string[] = [];
  /** Characters in `dataLines`: with `buffer`, what an incomplete event holds. */
  private dataChars = 0;
  private dispatchedCount = 0;

  push(bytes: Buffer | string): SseMessage[] {
    this.buffer += typeof bytes === 'string' ? bytes : this.decoder.write(bytes);
    const buffer = this.buffer;
    const messages: SseMessage[] = [];
    let start = 0;
    // Position of the next CR at or after `start`, -1 when none: searched again only once passed,
    // so a buffer without CRs (the usual case) is scanned for them once, not once per line.
    let cr = buffer.indexOf('\r');
    for (;;) {
      if (cr !== -1 && cr < start) cr = buffer.indexOf('\r', start);
      const lf = buffer.indexOf('\n', start);
      // The common framing, `data: <payload>\n\n` between events with no CR in it: one slice,
      // no line-by-line bookkeeping. Anything else takes the general line rules below.
      if (lf !== -1 && (cr === -1 || cr > lf) && this.dataLines.length === 0 && this.eventName === undefined && buffer.charCodeAt(lf + 1) === 10 && buffer.startsWith('data: ', start)) {
        messages.push({ event: undefined, data: buffer.slice(start + 6, lf) });
        this.dispatchedCount++;
        start = lf + 2;
        continue;
      }
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A CR at the very end may be the first half of CRLF: wait for more bytes.
        if (cr === buffer.length - 1) break;
        end = cr;
        next = buffer.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else {
        break;
      }
      this.takeLine(buffer.slice(start, end), messages);
      start = next;
    }
    this.buffer = start === 0 ? buffer : buffer.slice(start);
    return messages;
  }

  /** Bytes received after the last complete line: non-empty means the stream was cut mid-event. */
  get pending(): boolean {
    return this.buffer.length > 0 || this.dataLines.length > 0;
  }

  /** Events with data dispatched so far (comments and empty events are not counted). */
  get dispatched(): number {
    return this.dispatchedCount;
  }

  /** Characters held for the event not yet complete (partial line included): what a size cap bounds. */
  get pendingChars(): number {
    return this.buffer.length + this.dataChars;
  }

  /** Nothing buffered and no event begun: the next bytes start a fresh line of a fresh event. */
  get idle(): boolean {
    return this.buffer.length === 0 && this.dataLines.length === 0 && this.eventName === undefined;
  }

  private takeLine(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.dataLines.length > 0) {
        out.push({ event: this.eventName, data: this.dataLines.join('\n') });
        this.dispatchedCount++;
      }
      this.dataLines = [];
      this.dataChars = 0;
      this.eventName = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') {
      this.dataLines.push(value);
      this.dataChars += value.length;
    }
    else if (field === 'event') this.eventName = value;
  }
}
