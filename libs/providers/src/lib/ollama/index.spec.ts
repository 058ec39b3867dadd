import { ollamaAdapter } from './index';

describe('ollamaAdapter', () => {
  const target = { baseUrl: 'http://localhost:11434', model: 'llama3.2' };

  it('speaks the ollama protocol through /api/chat', () => {
    expect(ollamaAdapter.protocol).toBe('ollama');
    expect(ollamaAdapter.buildRequest({ model: 'ollama/llama3.2', messages: [] }, target, false).path).toBe('/api/chat');
  });

  it('names stream chunks after the target model until Ollama names one', () => {
    const decoder = ollamaAdapter.createStreamDecoder({ model: 'ollama/llama3.2', messages: [] }, { ...target, model: 'target-model' });
    const [event] = decoder.push(Buffer.from('{"message":{"role":"assistant","content":"hi"},"done":false}\n'));
    expect(JSON.parse(event?.json ?? '{}').model).toBe('target-model');
  });

  it('decodes whole answers and error bodies', () => {
    expect(JSON.parse(ollamaAdapter.decodeCompletion('{"message":{"role":"assistant","content":"hi"},"done":true}', target).json).choices[0].message.content).toBe('hi');
    expect(ollamaAdapter.errorMessage(500, '{"error":"out of memory"}')).toBe('out of memory');
  });
});
