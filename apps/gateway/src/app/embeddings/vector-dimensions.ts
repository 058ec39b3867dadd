/**
 * Which deployments of an embedding alias may answer one request: only those whose vectors have
 * the same length as the request's first answered or declared one. Vectors of another length
 * belong to another model's space; a client storing them beside earlier ones would break its
 * index (or silently compare unrelated vectors), so a fallback across dimensions is worse than
 * an error.
 *
 * A deployment's length for a request: the request's `dimensions` when it asks one, else its
 * `model_info.output_vector_size` (LiteLLM's key), else what it answered before (learned from
 * its first answer and remembered in memory, per replica). The request's reference is the first
 * deployment's length in the policy's order (whether or not its circuit lets it be tried now,
 * so an outage never changes the vector space a client gets); when that one is unknown, the
 * first answer sets it. Deployments whose known length differs are skipped before the walk;
 * one that answers with another length after all (an upstream that ignored `dimensions`, or
 * a wrong declaration) is skipped after its answer.
 */
import type { EmbeddingRequest } from '@orcest/providers';
import type { Deployment } from '../deployments/deployment';

export interface SkippedDeployment {
  readonly deployment: string;
  /** `dimension_<n>` (its vectors' length differs from the request's) or `text_only` (takes no token ids). */
  readonly reason: string;
}

export interface DimensionPlan {
  /** The deployments the walk may try, in order. */
  readonly deployments: readonly Deployment[];
  readonly skipped: readonly SkippedDeployment[];
  /** The vector length every answer must have; undefined until the first answer when nothing is known. */
  readonly reference: number | undefined;
}

export class VectorDimensions {
  private readonly learned = new Map<Deployment, number>();

  /** The vector length `deployment` is expected to answer `request` with, if known. */
  expected(deployment: Deployment, request: Pick<EmbeddingRequest, 'dimensions'>): number | undefined {
    return request.dimensions ?? deployment.outputVectorSize ?? this.learned.get(deployment);
  }

  /** Remembers a deployment's own length from an answer to a request that asked none. */
  learn(deployment: Deployment, dimension: number, request: Pick<EmbeddingRequest, 'dimensions'>): void {
    if (request.dimensions === undefined && deployment.outputVectorSize === undefined) this.learned.set(deployment, dimension);
  }

  plan(ordered: readonly Deployment[], request: Pick<EmbeddingRequest, 'dimensions' | 'tokenInput'>): DimensionPlan {
    const first = ordered[0];
    const reference = first === undefined ? undefined : this.expected(first, request);
    let skipped: SkippedDeployment[] | undefined;
    let kept: Deployment[] | undefined;
    for (let i = 0; i < ordered.length; i++) {
      const d = ordered[i] as Deployment;
      const reason = this.refusal(d, request, reference);
      if (reason === undefined) {
        kept?.push(d);
        continue;
      }
      // The usual request skips nothing: the policy's (frozen) array is then used as is.
      kept ??= ordered.slice(0, i);
      (skipped ??= []).push({ deployment: d.name, reason });
    }
    return { deployments: kept ?? ordered, skipped: skipped ?? NONE, reference };
  }

  private refusal(d: Deployment, request: Pick<EmbeddingRequest, 'dimensions' | 'tokenInput'>, reference: number | undefined): string | undefined {
    if (request.tokenInput && d.embeddingAdapter?.acceptsTokenInput !== true) return 'text_only';
    const expected = this.expected(d, request);
    if (reference !== undefined && expected !== undefined && expected !== reference) return `dimension_${expected}`;
    return undefined;
  }
}

const NONE: readonly SkippedDeployment[] = Object.freeze([]);

/** `x-rainymodel-skipped`: `<deployment>:<reason>,…`. */
export function skippedHeader(skipped: readonly SkippedDeployment[]): string {
  return skipped.map((s) => `${s.deployment}:${s.reason}`).join(',').replace(/[^\x20-\x7e]/g, '?');
}
