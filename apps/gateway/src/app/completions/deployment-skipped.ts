/**
 * Thrown by an attempt whose deployment answered but cannot serve this request after all (an
 * embedding of another vector length than the request's): not the upstream's fault, so no
 * verdict on its health from the walk; the walk records it among the attempts and goes on to the
 * next deployment, never coming back to this one in a later pass.
 */
export class DeploymentSkipped extends Error {
  constructor(
    /** Short machine-readable reason for `x-rainymodel-fallback-reason` (`dimension_1536`). */
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'DeploymentSkipped';
  }
}
