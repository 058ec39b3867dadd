/**
 * An OpenAI SSE upstream streamed to the client. The upstream already speaks the client's
 * framing, so each read's events in the canonical form — `data: <payload>\n\n`, no CR — are
 * forwarded as the very bytes received: one view of the read, no UTF-8 decoding and no
 * re-encoding on the way out (bench/: the decode–frame–encode round trip was a tenth of the
 * streaming path's own CPU). Each such event still gets exactly the decoder's checks
 * (openai-stream.ts): payloads before the first content, and any that may be an error event or
 * carry a finish reason or usage, are decoded and go through the decoder itself; the others get
 * its structural check in place — most of them in the plain lane below, which vouches for a
 * canonical content chunk with a glance at a few bytes and one search. Anything else (CRLF, comments, multi-line data, `event:`
 * fields) sends the rest of the read through the decoder's SSE parser, framed anew, until that
 * parser is idle again at the start of a later read.
 *
 * What the client receives is what the decoder path would send, byte for byte, with one
 * difference: invalid UTF-8 in a forwarded payload reaches the client as is, where its own
 * decoder replaces it (the decoder path replaces it with U+FFFD first).
 */
import type { Wire, WireStream } from '../contract';
import type { Usage } from '../openai-types';
import { tooLarge, UpstreamProtocolError } from '../errors';
import { FramedWireStream } from '../shared/framed-wire-stream';
import { joinWire } from '../shared/wire';
import { looksLikeJsonObject, mayBeErrorEvent, valueMayOpenWith } from './chunk-shape';
import { OpenAiStreamDecoder, type OpenAiStreamOptions } from './openai-stream';

export class OpenAiWireStream implements WireStream {
  private readonly decoder: OpenAiStreamDecoder;
  /** The decoder path, for what cannot be forwarded as is. */
  private readonly framed: FramedWireStream;
  /** Bytes after the last complete event (or line), held until more arrive. */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Events handled here in place or through `decoder.take` (the decoder counts those its parser completes). */
  private takenEvents = 0;

  constructor(options: OpenAiStreamOptions = {}) {
    this.decoder = new OpenAiStreamDecoder(options);
    this.framed = new FramedWireStream(this.decoder);
  }

  get finished(): boolean {
    return this.decoder.finished;
  }

  get started(): boolean {
    return this.decoder.started;
  }

  get usage(): Usage | undefined {
    return this.decoder.usage;
  }

  get events(): number {
    return this.takenEvents + this.decoder.events;
  }

  push(bytes: Buffer): Wire {
    if (this.decoder.finished) return '';
    if (this.carry.length > 0) {
      this.carry.push(bytes);
      this.carryBytes += bytes.length;
      // Nothing can complete before a line break: keep collecting rather than re-joining per read.
      if (bytes.indexOf(10) === -1 && bytes.indexOf(13) === -1) {
        if (this.carryBytes > this.decoder.maxEventBytes) throw tooLarge('a stream event', this.decoder.maxEventBytes);
        return '';
      }
      bytes = Buffer.concat(this.carry);
      this.carry = [];
      this.carryBytes = 0;
    }
    return this.forward(bytes);
  }

  end(): Wire {
    if (this.decoder.finished) return '';
    // A held partial event goes through the decoder, so a stream cut mid-event is reported as such.
    const held = this.carry.length > 0 ? Buffer.concat(this.carry) : undefined;
    this.carry = [];
    this.carryBytes = 0;
    const rest = held === undefined ? '' : this.framed.push(held);
    try {
      return joinWire(rest, this.framed.end());
    } catch (error) {
      throw withWireBefore(error, rest);
    }
  }

  private forward(buf: Buffer): Wire {
    // Latin-1 maps each byte to one char: offsets in `text` are offsets in `buf`, and everything
    // the framing and the checks look at is ASCII.
    const text = buf.toString('latin1');
    const keys = new KeyFinder(text);
    let cr = text.indexOf('\r');
    let pos = 0;
    // What goes out is buf[0, pos), except events the decoder left out (a usage chunk the client
    // did not ask for): then `kept` holds what came before it and `from` where to resume.
    let kept: Wire = '';
    let from = 0;
    let started = this.decoder.started;
    // `take` leaves the SSE parser alone: only the decoder path at the end can make it busy.
    const length = this.decoder.idle ? text.length : 0;
    // A read that ends the stream with [DONE] makes finish reasons moot (they only let a stream
    // without [DONE] end cleanly), so its plain run does not look for them.
    const lane = new PlainLane(text, keys, text.endsWith(DONE_TAIL));
    let taken = 0;
    while (pos < length) {
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
      if (started) {
        const end = lane.runEnd(pos, cr === -1 ? length : cr);
        if (end > pos) {
          taken += lane.events;
          pos = end;
          continue;
        }
      }
      if (!text.startsWith('data: ', pos)) break;
      const lf = text.indexOf('\n', pos + 6);
      if (cr !== -1 && (lf === -1 || cr <= lf + 1)) break;
      if (lf === -1 || lf + 1 === text.length) {
        this.takenEvents += taken;
        this.hold(buf.subarray(pos), joinWire(kept, buf.subarray(from, pos)));
        return joinWire(kept, buf.subarray(from, pos));
      }
      if (text.charCodeAt(lf + 1) !== 10) break;
      const start = pos + 6;
      taken++;
      if (!this.passesInPlace(text, start, lf, keys)) {
        let event;
        try {
          event = this.decoder.take(buf.toString('utf8', start, lf));
        } catch (error) {
          this.takenEvents += taken;
          throw withWireBefore(error, joinWire(kept, buf.subarray(from, pos)));
        }
        started = this.decoder.started;
        // The payload was `[DONE]`, in the client's framing already; whatever follows is not forwarded.
        if (this.decoder.finished) {
          this.takenEvents += taken;
          return joinWire(kept, buf.subarray(from, lf + 2));
        }
        if (event === undefined) {
          kept = joinWire(kept, buf.subarray(from, pos));
          from = lf + 2;
        }
      }
      pos = lf + 2;
    }
    this.takenEvents += taken;
    if (pos === text.length) return from === 0 ? buf : joinWire(kept, buf.subarray(from));
    const before = joinWire(kept, buf.subarray(from, pos));
    return joinWire(before, this.throughDecoder(buf, text, pos, before));
  }

  /** Keeps the start of an incomplete event for the next read, within the event size cap. */
  private hold(partial: Buffer, sentBefore: Wire): void {
    if (partial.length > this.decoder.maxEventBytes) throw withWireBefore(tooLarge('a stream event', this.decoder.maxEventBytes), sentBefore);
    this.carry.push(partial);
    this.carryBytes = partial.length;
  }

  /** A chunk after the first content that the decoder would pass on its structural check alone. */
  private passesInPlace(text: string, start: number, end: number, keys: KeyFinder): boolean {
    if (!this.decoder.started || !looksLikeJsonObject(text, start, end)) return false;
    const brace = text.indexOf('{', start);
    return !mayBeErrorEvent(text, brace, end) && !keys.within(start, end);
  }

  /** The rest of the read, up to its last line break, through the SSE parser; the tail is held. */
  private throughDecoder(buf: Buffer, text: string, pos: number, sentBefore: Wire): Wire {
    const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1;
    let wire: Wire = '';
    if (cut > pos) {
      try {
        wire = this.framed.push(buf.subarray(pos, cut));
      } catch (error) {
        throw withWireBefore(error, sentBefore);
      }
    }
    // The parser holds the unfinished event's lines; the tail after the last line break waits here.
    if (cut < text.length) this.hold(buf.subarray(Math.max(cut, pos)), joinWire(sentBefore, wire));
    return wire;
  }

}

/**
 * Runs of plain content chunks in one read, forwarded after only a glance each: an event framed
 * `data: {"…}\n\n` exactly, whose first key does not start with `e` (so it cannot be an error
 * event), with no usage key and every finish reason `null`. Each passes the decoder's checks
 * by construction (a JSON object's shape, not an error event, nothing to record), and each costs
 * one search for its line end and one for its finish reason — not the general path's checks
 * (bench/: that was most of a stream's own cost at 20 chunks per read).
 */
class PlainLane {
  /** Events in the last run. */
  events = 0;

  constructor(
    private readonly text: string,
    private readonly keys: KeyFinder,
    private readonly finishMoot: boolean,
  ) {}

  /** Where the run of plain events starting at `pos` ends, every event ending before `limit`. */
  runEnd(pos: number, limit: number): number {
    const text = this.text;
    let events = 0;
    for (;;) {
      if (!opensPlainChunk(text, pos)) break;
      const lf = text.indexOf('\n', pos + 8);
      if (lf === -1 || lf + 1 >= limit || text.charCodeAt(lf + 1) !== 10 || text.charCodeAt(lf - 1) !== 125 /* } */) break;
      if (this.keys.usage.first(pos) < lf) break;
      if (!this.finishMoot && !this.keys.finishReason.allNull(pos, lf)) break;
      events++;
      pos = lf + 2;
    }
    this.events = events;
    return pos;
  }
}

/** The end of a read whose last event is [DONE]. */
const DONE_TAIL = '\n\ndata: [DONE]\n\n';

/** `data: {"` then anything but `e` (charCodeAt, not startsWith: a builtin call per event cost more than the search). */
function opensPlainChunk(text: string, pos: number): boolean {
  return (
    text.charCodeAt(pos) === 100 /* d */ &&
    text.charCodeAt(pos + 1) === 97 /* a */ &&
    text.charCodeAt(pos + 2) === 116 /* t */ &&
    text.charCodeAt(pos + 3) === 97 /* a */ &&
    text.charCodeAt(pos + 4) === 58 /* : */ &&
    text.charCodeAt(pos + 5) === 32 /*   */ &&
    text.charCodeAt(pos + 6) === 123 /* { */ &&
    text.charCodeAt(pos + 7) === 34 /* " */ &&
    text.charCodeAt(pos + 8) !== 101 /* e */
  );
}

/**
 * Finds, across one read, the chunks with a finish reason (a string value) or usage (an object):
 * the decoder records those. Each key is searched for once past the previous hit, so a read is
 * scanned about once per key, not once per event. The search is for the key without its
 * opening quote: `"` is everywhere in JSON, and a needle starting with it made `indexOf` several
 * times slower (bench/).
 */
class KeyFinder {
  readonly finishReason: NextKey;
  readonly usage: NextKey;

  constructor(text: string) {
    this.finishReason = new NextKey(text, 'finish_reason"', 34 /* " */);
    this.usage = new NextKey(text, 'usage"', 123 /* { */);
  }

  within(start: number, end: number): boolean {
    return this.finishReason.within(start, end) || this.usage.within(start, end);
  }
}

/** One key's next occurrence in a read, with the character its value must open with to count. */
class NextKey {
  private at = -1;

  constructor(
    private readonly text: string,
    private readonly key: string,
    private readonly open: number,
  ) {}

  /** Every occurrence in [start, end) is looked at: a chunk with several choices has several. */
  within(start: number, end: number): boolean {
    let at = this.first(start);
    while (at < end) {
      if (this.text.charCodeAt(at - 1) === 34 /* " */ && valueMayOpenWith(this.text, at + this.key.length, end, this.open)) break;
      at = this.find(at + 1);
    }
    this.at = at;
    return at < end;
  }

  /** The first occurrence at or after `start` (Infinity when none). */
  first(start: number): number {
    if (this.at < start) this.at = this.find(start);
    return this.at;
  }

  /** Every occurrence in [start, end) is followed by `:null` exactly (the plain lane's test). */
  allNull(start: number, end: number): boolean {
    const text = this.text;
    let at = this.first(start);
    while (at < end) {
      const i = at + this.key.length;
      if (text.charCodeAt(i) !== 58 /* : */ || text.charCodeAt(i + 1) !== 110 /* n */ || text.charCodeAt(i + 2) !== 117 /* u */ || text.charCodeAt(i + 3) !== 108 /* l */ || text.charCodeAt(i + 4) !== 108 /* l */) break;
      at = this.find(i);
    }
    this.at = at;
    return at >= end;
  }

  private find(from: number): number {
    const at = this.text.indexOf(this.key, from);
    return at === -1 ? Infinity : at;
  }
}

function withWireBefore(error: unknown, before: Wire): unknown {
  if (error instanceof UpstreamProtocolError) error.wireBefore = joinWire(before, error.wireBefore);
  return error;
}
