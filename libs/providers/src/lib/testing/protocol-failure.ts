/** For adapter specs: runs `run` and returns the UpstreamProtocolError it threw (anything else fails the test). */
import { UpstreamProtocolError } from '../errors';

export function protocolFailure(run: () => unknown): UpstreamProtocolError {
  try {
    run();
  } catch (error) {
    if (error instanceof UpstreamProtocolError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamProtocolError');
}
