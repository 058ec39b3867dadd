import { embeddingAdapterFor } from '@orcest/providers';
import type { Deployment } from '../deployments/deployment';
import { skippedHeader, VectorDimensions } from './vector-dimensions';

function deployment(name: string, protocol: 'openai' | 'ollama', outputVectorSize?: number): Deployment {
  return { name, outputVectorSize, embeddingAdapter: embeddingAdapterFor(protocol) } as Deployment;
}

describe('VectorDimensions', () => {
  const ollama = deployment('ollama', 'ollama', 768);
  const small = deployment('small', 'openai', 1536);
  const twin = deployment('twin', 'openai', 768);
  const unknown = deployment('unknown', 'openai');

  it('keeps the deployments of the first one\'s declared length, in order, and names the others', () => {
    const plan = new VectorDimensions().plan([ollama, small, twin, unknown], { tokenInput: false });
    expect(plan.deployments).toEqual([ollama, twin, unknown]);
    expect(plan.reference).toBe(768);
    expect(skippedHeader(plan.skipped)).toBe('small:dimension_1536');
  });

  it('a request asking `dimensions` expects that length of every deployment', () => {
    const ordered = [ollama, small];
    const plan = new VectorDimensions().plan(ordered, { tokenInput: false, dimensions: 256 });
    expect(plan.deployments).toBe(ordered);
    expect(plan.reference).toBe(256);
  });

  it('an unknown first length is set by the first answer, and remembered for later requests', () => {
    const dims = new VectorDimensions();
    expect(dims.plan([unknown, small], { tokenInput: false }).reference).toBeUndefined();
    dims.learn(unknown, 1024, {});
    const plan = dims.plan([unknown, small], { tokenInput: false });
    expect(plan.reference).toBe(1024);
    expect(skippedHeader(plan.skipped)).toBe('small:dimension_1536');
    // An answer to a request that asked a length teaches nothing about the model's own.
    dims.learn(small, 64, { dimensions: 64 });
    expect(dims.expected(small, {})).toBe(1536);
  });

  it('token input skips text-only deployments, after the reference is set by the first', () => {
    const plan = new VectorDimensions().plan([ollama, twin, small], { tokenInput: true });
    expect(plan.deployments).toEqual([twin]);
    expect(skippedHeader(plan.skipped)).toBe('ollama:text_only,small:dimension_1536');
  });
});
