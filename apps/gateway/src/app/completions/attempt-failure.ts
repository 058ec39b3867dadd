/**
 * Why one upstream attempt failed, and whether another upstream could do better. Built from
 * whatever the attempt threw: HTTP status, network error, our timers, a protocol error.
 */
import { UpstreamProtocolError } from '@orcest/providers';

export class AttemptFailure extends Error {
  constructor(
    /** `http_503`, `timeout`, `deadline`, `connect_error`, `address_refused`, `network_error`, `stream_cut`… */
    readonly reason: string,
    message: string,
    /** False only when the caller's request itself was refused (an upstream 400/413/422). */
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AttemptFailure';
  }
}

/** Upstream statuses that mean "your request is wrong": no other upstream will accept it either. */
const CALLER_FAULT_STATUSES = new Set([400, 413, 422]);

export function failureFromStatus(status: number, upstreamMessage: string, retryAfterHeader: string | string[] | undefined): AttemptFailure {
  return new AttemptFailure(
    `http_${status}`,
    `HTTP ${status}: ${upstreamMessage}`,
    !CALLER_FAULT_STATUSES.has(status),
    status,
    parseRetryAfter(retryAfterHeader),
  );
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** `streaming`: a connection lost mid-body is then a cut stream (the upstream hung up before its end marker). */
export function failureFromError(error: unknown, streaming = false): AttemptFailure {
  if (error instanceof AttemptFailure) return error;
  if (error instanceof UpstreamProtocolError) return new AttemptFailure(error.reason, error.message, true);
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code;
  const detail = err.cause?.message ?? err.message ?? String(error);
  // The upstream guard refused the address the name resolves to (libs/egress guardedLookup).
  if (code === 'EPRIVATEADDRESS') return new AttemptFailure('address_refused', `refused: ${detail}`, true);
  if (code && NETWORK_CODES.has(code)) return new AttemptFailure('connect_error', `cannot connect: ${code} ${detail}`.trim(), true);
  if (streaming && code === 'UND_ERR_SOCKET') return new AttemptFailure('stream_cut', `upstream closed the stream before its end: ${detail}`, true);
  return new AttemptFailure('network_error', `connection failed: ${code ? `${code} ` : ''}${detail}`, true);
}

function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
