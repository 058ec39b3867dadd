/**
 * OpenAI's `encoding_format: "base64"`: each vector as the base64 of its float32 values,
 * little-endian, one after the other (what the openai SDKs decode with a Float32Array on a
 * little-endian machine, and what numpy's `frombuffer(…, dtype="float32")` reads).
 */
import { UpstreamProtocolError } from '../errors';

/** Float32 little-endian bytes of `vector`, in base64. Values are rounded to float32, as OpenAI's are. */
export function encodeFloat32Base64(vector: readonly number[]): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i] as number, i * 4);
  return bytes.toString('base64');
}

/** The numbers of a base64 float32 vector (throws `UpstreamProtocolError` when it is not one). */
export function decodeFloat32Base64(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 4 !== 0) throw new UpstreamProtocolError(`upstream sent a base64 embedding of ${bytes.length} bytes, not a whole number of float32 values`, 'malformed_response');
  const vector = new Array<number>(bytes.length / 4);
  for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
  return vector;
}

/** How many float32 values a base64 vector holds, without decoding it. */
export function base64VectorLength(text: string): number {
  let padding = 0;
  if (text.endsWith('==')) padding = 2;
  else if (text.endsWith('=')) padding = 1;
  const bytes = (text.length / 4) * 3 - padding;
  return Number.isInteger(bytes) && bytes % 4 === 0 ? bytes / 4 : -1;
}
