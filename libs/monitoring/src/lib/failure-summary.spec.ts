import { conditionFailureSummary, connectionFailureSummary, namesAnAddress, safeReason } from './failure-summary';

describe('connectionFailureSummary', () => {
  it.each([
    ['ECONNREFUSED', false, 'connection refused'],
    ['ENOTFOUND', false, 'DNS failure'],
    ['EAI_AGAIN', false, 'DNS failure'],
    ['UND_ERR_CONNECT_TIMEOUT', false, 'timeout'],
    ['ECONNRESET', false, 'connection reset'],
    ['UND_ERR_SOCKET', false, 'connection reset'],
    ['EHOSTUNREACH', false, 'host unreachable'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', false, 'TLS error'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', false, 'TLS error'],
    ['SOMETHING_NEW', false, 'connection failed'],
    [undefined, false, 'connection failed'],
    ['ECONNREFUSED', true, 'timeout'],
  ])('%s (timed out: %s) → %s', (code, timedOut, words) => expect(connectionFailureSummary(code, timedOut)).toBe(words));
});

describe('conditionFailureSummary', () => {
  it.each([
    ['[STATUS] == 200', 503, 'HTTP 503'],
    ['[STATUS] < 400', 500, 'HTTP 500'],
    ['[RESPONSE_TIME] < 500', 200, 'condition failed: [RESPONSE_TIME] < 500'],
    ['[BODY].status == ok', 200, 'condition failed: [BODY].status == ok'],
    ['[BODY].url == http://10.0.0.5:8080/x', 200, 'condition failed'],
    ['[BODY] == pat(*db-1.internal:5432*)', 200, 'condition failed'],
  ])('%s with HTTP %d → %s', (text, status, words) => expect(conditionFailureSummary(text, status)).toBe(words));
});

describe('namesAnAddress', () => {
  it.each(['http://x', '10.1.2.3', '[::1]:80', 'fe80::1', 'db:5432', 'localhost'])('%s names an address', (t) => expect(namesAnAddress(t)).toBe(true));
  it.each(['[RESPONSE_TIME] < 500', '[BODY].status == ok', 'len([BODY].data) > 0', 'HTTP 503'])('%s does not', (t) => expect(namesAnAddress(t)).toBe(false));
});

it('safeReason repeats short reason words only', () => {
  expect(safeReason('upstream_error')).toBe('upstream error');
  expect(safeReason('connect ECONNREFUSED 10.0.0.1:443')).toBeUndefined();
  expect(safeReason(42)).toBeUndefined();
});
