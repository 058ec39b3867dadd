import { estimateCompletionUsage, estimateStreamUsage } from './usage-estimate';

describe('usage estimate', () => {
  it('a whole answer: the characters its dialect counts in the parsed answer, / 4 rounded up', () => {
    const seen: unknown[] = [];
    const dialect = { completionChars: (answer: unknown) => (seen.push(answer), 9) };
    expect(estimateCompletionUsage(5, '{"any":"shape"}', dialect)).toEqual({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
    expect(seen).toEqual([{ any: 'shape' }]);
  });

  it('an answer it cannot read counts no completion tokens, never an error', () => {
    const counting = { completionChars: () => 9 };
    expect(estimateCompletionUsage(5, 'not json', counting)).toEqual({ prompt_tokens: 5, completion_tokens: 0, total_tokens: 5 });
    const throwing = { completionChars: (answer: unknown) => (answer as { a: { b: number } }).a.b };
    expect(estimateCompletionUsage(5, 'null', throwing)).toEqual({ prompt_tokens: 5, completion_tokens: 0, total_tokens: 5 });
  });

  it('a stream: one token per upstream event', () => {
    expect(estimateStreamUsage(5, 7)).toEqual({ prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 });
  });
});
