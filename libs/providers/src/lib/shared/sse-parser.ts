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

  push(bytes: Buffer | string): SseMessage[] {
    this.buffer += typeof bytes === 'string' ? bytes : this.decoder.write(bytes);
    const messages: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const lf = this.buffer.indexOf('\n', start);
      const cr = this.buffer.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A CR at the very end may be the first half of CRLF: wait for more bytes.
        if (cr === this.buffer.length - 1) break;
        end = cr;
        next = this.buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else {
        break;
      }
      this.takeLine(this.buffer.slice(start, end), messages);
      start = next;
    }
    this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
    return messages;
  }

  /** Bytes received after the last complete line: non-empty means the stream was cut mid-event. */
  get pending(): boolean {
    return this.buffer.length > 0 || this.dataLines.length > 0;
  }

  private takeLine(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.dataLines.length > 0) out.push({ event: this.eventName, data: this.dataLines.join('\n') });
      this.dataLines = [];
      this.eventName = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
  }
}
