/**
 * OpenAI chat protocol: the client's request goes upstream nearly as is, with the deployment's
 * model (and a request for usage when streaming). Given the client's own JSON text, that text is
 * what goes: its bytes with the model's value replaced and the usage request appended
 * (`forwardedChatBody`), never parsed and serialised again — the client's numbers, escapes and
 * key order reach the upstream exactly as sent. Otherwise (a request the gateway changed, or a
 * text an edit could not be sure of) the request object is serialised.
 */
import type { UpstreamRequest, UpstreamTarget } from '../contract';
import type { ChatRequest } from '../openai-types';
import { forwardedChatBody } from './forwarded-body';

export function buildOpenAiRequest(request: ChatRequest, target: UpstreamTarget, stream: boolean, clientText?: string): UpstreamRequest {
  const headers = headersFor(target, stream);
  // OpenAI rejects stream_options on a non-streaming call. A stream always asks for usage, so
  // its tokens are counted whatever the client asked; the wire stream hides the usage chunk
  // from a client that did not ask for it.
  // JSON's null stands for "not set" here, as validation lets it through for any optional field.
  const asked: ChatRequest['stream_options'] | null = request.stream_options;
  if (clientText !== undefined && stream === (request.stream === true) && (stream ? asked === undefined || asked?.include_usage === true : asked === undefined)) {
    const body = forwardedChatBody(clientText, target.model, stream && asked === undefined ? ASK_FOR_USAGE : '');
    if (body !== undefined) return { path: '/chat/completions', headers, body };
  }
  const body: Record<string, unknown> = { ...request, model: target.model, stream };
  if (!stream) delete body['stream_options'];
  else if (asked === undefined) {
    // The usual stream: the member appended to the serialised object, not built and serialised.
    return { path: '/chat/completions', headers, body: `${JSON.stringify(body).slice(0, -1)},${ASK_FOR_USAGE}}` };
  } else if (asked?.include_usage !== true) body['stream_options'] = { ...asked, include_usage: true };
  return { path: '/chat/completions', headers, body: JSON.stringify(body) };
}

/** The member a streaming request gains (a serialised object always ends with `}`). */
const ASK_FOR_USAGE = '"stream_options":{"include_usage":true}';

/** The headers depend only on the target and the mode: built once per target, not per request. */
const headerCache = new WeakMap<UpstreamTarget, { readonly stream: Readonly<Record<string, string>>; readonly whole: Readonly<Record<string, string>> }>();

function headersFor(target: UpstreamTarget, stream: boolean): Readonly<Record<string, string>> {
  let cached = headerCache.get(target);
  if (cached === undefined) {
    const build = (accept: string): Readonly<Record<string, string>> =>
      Object.freeze({ 'content-type': 'application/json', accept, ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}) });
    cached = { stream: build('text/event-stream'), whole: build('application/json') };
    headerCache.set(target, cached);
  }
  return stream ? cached.stream : cached.whole;
}
