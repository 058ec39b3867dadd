/**
 * The replay's mixed workload, the same every run (seeded): short chats, code questions,
 * long documents (40k–90k tokens, beyond the free and local windows) and tool calls.
 */
import { seededRandom } from './random.mjs';

const WORDS = ['the', 'gateway', 'routes', 'each', 'request', 'to', 'a', 'model', 'that', 'fits', 'its', 'window', 'and', 'budget', 'quickly'];
const TOOLS = [
  { type: 'function', function: { name: 'get_weather', description: 'Current weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
  { type: 'function', function: { name: 'search_docs', description: 'Full-text search over the team wiki', parameters: { type: 'object', properties: { query: { type: 'string' } } } } },
];
const CODE = '```ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```\n';

export const KINDS = ['chat', 'code', 'document', 'tools'];

export function buildWorkload(count, seed = 'replay') {
  const random = seededRandom(seed);
  const text = (tokens) => {
    let out = '';
    while (out.length < tokens * 4) out += WORDS[Math.floor(random() * WORDS.length)] + ' ';
    return out;
  };
  const requests = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.55) {
      requests.push({ kind: 'chat', body: { messages: [{ role: 'user', content: text(20 + Math.floor(random() * 180)) }], max_tokens: 256 } });
    } else if (r < 0.7) {
      requests.push({ kind: 'code', body: { messages: [{ role: 'system', content: 'You are a senior engineer.' }, { role: 'user', content: `Refactor and debug this, step by step:\n${CODE.repeat(2 + Math.floor(random() * 3))}${text(400 + Math.floor(random() * 800))}` }], max_tokens: 800 } });
    } else if (r < 0.85) {
      requests.push({ kind: 'document', body: { messages: [{ role: 'user', content: `Summarize this report:\n${text(40_000 + Math.floor(random() * 50_000))}` }], max_tokens: 500 } });
    } else {
      const turns = [{ role: 'user', content: `Plan my trip: ${text(60)}` }, { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, { role: 'tool', tool_call_id: 'call_1', content: '{"temp":18}' }];
      requests.push({ kind: 'tools', body: { messages: turns, tools: TOOLS, max_tokens: 300 } });
    }
  }
  return requests;
}
