/** OpenAI chat protocol: the client's request goes upstream nearly as is, with the deployment's model (and a request for usage when streaming). */
import type { UpstreamRequest, UpstreamTarget } from '../contract';
import type { ChatRequest } from '../openai-types';

export function buildOpenAiRequest(request: ChatRequest, target: UpstreamTarget, stream: boolean): UpstreamRequest {
  const body: Record<string, unknown> = { ...request, model: target.model, stream };
  // OpenAI rejects stream_options on a non-streaming call. A stream always asks for usage, so
  // its tokens are counted whatever the client asked; the wire stream hides the usage chunk
  // from a client that did not ask for it.
  if (!stream) delete body['stream_options'];
  else if (request.stream_options === undefined) {
    // The usual stream: the member appended to the serialised object, not built and serialised.
    return { path: '/chat/completions', headers: headersFor(target, stream), body: `${JSON.stringify(body).slice(0, -1)}${ASK_FOR_USAGE}` };
  } else if (request.stream_options.include_usage !== true) body['stream_options'] = { ...request.stream_options, include_usage: true };
  return { path: '/chat/completions', headers: headersFor(target, stream), body: JSON.stringify(body) };
}

/** The last member of a streaming request's body (a serialised object always ends with `}`). */
const ASK_FOR_USAGE = ',"stream_options":{"include_usage":true}}';

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
