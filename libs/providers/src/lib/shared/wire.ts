/** Helpers for the client's bytes (`Wire`): framing decoded chunks, and joining pieces. */
import type { StreamEvent, Wire } from '../contract';

/** The end of every stream the gateway sends: OpenAI's end marker. */
export const DONE_EVENT = 'data: [DONE]\n\n';

/** OpenAI's SSE framing of decoded chunks: `data: {chunk}\n\n` each. */
export function frameEvents(events: readonly StreamEvent[]): string {
  let out = '';
  for (const event of events) out += `data: ${event.json}\n\n`;
  return out;
}

/** `a` then `b` as one piece, so each upstream read stays one write; copies only when mixed. */
export function joinWire(a: Wire, b: Wire): Wire {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  return Buffer.concat([toBuffer(a), toBuffer(b)]);
}

function toBuffer(wire: Wire): Buffer {
  return typeof wire === 'string' ? Buffer.from(wire) : wire;
}
