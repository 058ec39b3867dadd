import type { EmbeddingRequest } from './embedding-contract';
import { base64VectorLength, decodeFloat32Base64, encodeFloat32Base64 } from './vector-encoding';
import { buildOpenAiEmbeddingRequest, decodeOpenAiEmbeddings } from '../openai/openai-embeddings';
import { buildOllamaEmbeddingRequest, decodeOllamaEmbeddings } from '../ollama/ollama-embeddings';
import { UntranslatableRequestError, UpstreamProtocolError } from '../errors';

const target = { baseUrl: 'http://127.0.0.1:1', apiKey: 'k', model: 'emb' };
const request = (over: Partial<EmbeddingRequest> = {}): EmbeddingRequest => ({ model: 'alias', input: ['a', 'b'], inputCount: 2, tokenInput: false, encodingFormat: 'float', ...over });

describe('float32 base64 vectors', () => {
  it('is little-endian float32, as OpenAI sends and the SDKs read', () => {
    const encoded = encodeFloat32Base64([1, -0.5, 0.25]);
    const bytes = Buffer.from(encoded, 'base64');
    expect(bytes).toEqual(Buffer.from(new Float32Array([1, -0.5, 0.25]).buffer));
    expect(bytes.readFloatLE(4)).toBe(-0.5);
    expect(decodeFloat32Base64(encoded)).toEqual([1, -0.5, 0.25]);
    expect(base64VectorLength(encoded)).toBe(3);
  });

  it('rounds to float32 and measures every padding case', () => {
    expect(decodeFloat32Base64(encodeFloat32Base64([0.1]))).toEqual([Math.fround(0.1)]);
    for (let n = 1; n <= 6; n++) expect(base64VectorLength(encodeFloat32Base64(new Array(n).fill(1)))).toBe(n);
    expect(() => decodeFloat32Base64(Buffer.from([1, 2, 3]).toString('base64'))).toThrow(UpstreamProtocolError);
  });
});

describe('OpenAI /embeddings', () => {
  const answer = (embeddings: unknown[], usage: unknown = { prompt_tokens: 3, total_tokens: 3 }) =>
    JSON.stringify({ object: 'list', data: embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding })), model: 'emb', usage });

  it('sends the deployment\'s model, the asked encoding and dimensions, with the key', () => {
    const built = buildOpenAiEmbeddingRequest(request({ dimensions: 4, encodingFormat: 'base64', user: 'u' }), target);
    expect(built.path).toBe('/embeddings');
    expect(built.headers['authorization']).toBe('Bearer k');
    expect(JSON.parse(built.body)).toEqual({ model: 'emb', input: ['a', 'b'], encoding_format: 'base64', dimensions: 4, user: 'u' });
  });

  it('passes an answer in the asked encoding through byte for byte, with its length and tokens', () => {
    const body = answer([[0.5, 0.25], [1, 0]]);
    expect(decodeOpenAiEmbeddings(body, request())).toEqual({ json: body, dimension: 2, promptTokens: 3 });
    const b64 = answer([encodeFloat32Base64([1, 2, 3]), encodeFloat32Base64([4, 5, 6])]);
    expect(decodeOpenAiEmbeddings(b64, request({ encodingFormat: 'base64' }))).toEqual({ json: b64, dimension: 3, promptTokens: 3 });
  });

  it('converts floats to the base64 the client asked (a float-only server), and base64 to floats', () => {
    const decoded = decodeOpenAiEmbeddings(answer([[0.5, 0.25], [1, 0]]), request({ encodingFormat: 'base64' }));
    const data = (JSON.parse(decoded.json) as { data: Array<{ embedding: string }> }).data;
    expect(data.map((d) => decodeFloat32Base64(d.embedding))).toEqual([[0.5, 0.25], [1, 0]]);
    const back = decodeOpenAiEmbeddings(answer([encodeFloat32Base64([1, 2]), encodeFloat32Base64([3, 4])]), request());
    expect((JSON.parse(back.json) as { data: Array<{ embedding: number[] }> }).data.map((d) => d.embedding)).toEqual([[1, 2], [3, 4]]);
  });

  it.each([
    ['not JSON', '{"data": ['],
    ['no data', '{"object":"list"}'],
    ['too few vectors', answer([[1]])],
    ['vectors of two lengths', answer([[1, 2], [1]])],
    ['a vector with a string in it', answer([[1, 'x'], [1, 2]])],
    ['an empty vector', answer([[], []])],
  ])('refuses %s as a malformed answer (the upstream\'s fault: the walk moves on)', (_name, body) => {
    expect(() => decodeOpenAiEmbeddings(body, request())).toThrow(expect.objectContaining({ reason: 'malformed_response' }));
  });
});

describe('Ollama /api/embed', () => {
  it('sends text to /api/embed with dimensions; refuses token ids as untranslatable', () => {
    const built = buildOllamaEmbeddingRequest(request({ dimensions: 3 }), target);
    expect(built.path).toBe('/api/embed');
    expect(JSON.parse(built.body)).toEqual({ model: 'emb', input: ['a', 'b'], dimensions: 3 });
    expect(() => buildOllamaEmbeddingRequest(request({ input: [1, 2], inputCount: 1, tokenInput: true }), target)).toThrow(UntranslatableRequestError);
  });

  it('answers OpenAI\'s list in either encoding, with prompt_eval_count as usage', () => {
    const body = JSON.stringify({ model: 'nomic', embeddings: [[0.5, 1], [0, -1]], prompt_eval_count: 4 });
    const floats = decodeOllamaEmbeddings(body, request(), target);
    expect(JSON.parse(floats.json)).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, 1] },
        { object: 'embedding', index: 1, embedding: [0, -1] },
      ],
      model: 'nomic',
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
    expect(floats).toMatchObject({ dimension: 2, promptTokens: 4 });
    const b64 = JSON.parse(decodeOllamaEmbeddings(body, request({ encodingFormat: 'base64' }), target).json) as { data: Array<{ embedding: string }> };
    expect(decodeFloat32Base64(b64.data[1]?.embedding ?? '')).toEqual([0, -1]);
  });

  it('refuses an answer without embeddings, or with the wrong count', () => {
    expect(() => decodeOllamaEmbeddings('{"error":"x"}', request(), target)).toThrow(UpstreamProtocolError);
    expect(() => decodeOllamaEmbeddings(JSON.stringify({ embeddings: [[1]] }), request(), target)).toThrow(/1 embeddings for 2 inputs/);
  });
});
