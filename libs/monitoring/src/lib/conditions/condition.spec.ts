import { ConditionSyntaxError, firstFailedCondition, parseCondition, type CheckObservation } from './condition';

const seen = (over: Partial<CheckObservation> = {}): CheckObservation => ({ connected: true, status: 200, responseTimeMs: 120, body: '{"status":"ok","data":[{"id":"a"},{"id":"b"}],"n":3}', ...over });
const holds = (text: string, over: Partial<CheckObservation> = {}) => firstFailedCondition([parseCondition(text)], seen(over)) === undefined;

describe('Gatus conditions', () => {
  it.each([
    ['[STATUS] == 200', true],
    ['[STATUS] != 200', false],
    ['[STATUS] < 300', true],
    ['[STATUS] >= 500', false],
    ['[RESPONSE_TIME] < 300', true],
    ['[RESPONSE_TIME] <= 100', false],
    ['[BODY].status == ok', true],
    ['[BODY].status == fail', false],
    ['[BODY].data[1].id == b', true],
    ['[BODY].n > 2', true],
    ['[BODY].missing == x', false],
    ['[BODY].missing != x', true],
    ['len([BODY].data) == 2', true],
    ['has([BODY].status) == true', true],
    ['has([BODY].errors) == false', true],
    ['[BODY] == pat(*"ok"*)', true],
    ['[BODY] == pat(*down*)', false],
    ['[BODY].status == any(up, ok)', true],
    ['[CONNECTED] == true', true],
    ['[DNS_RCODE] == NOERROR', false], // not a DNS check: nothing observed
    ['[CERTIFICATE_EXPIRATION] > 240h', false],
  ])('%s → %s', (text, expected) => {
    expect(holds(text)).toBe(expected);
  });

  it('describes what failed with the value seen', () => {
    expect(firstFailedCondition([parseCondition('[STATUS] == 200'), parseCondition('[RESPONSE_TIME] < 300')], seen({ status: 503 }))).toBe('[STATUS] (503) == 200');
    expect(firstFailedCondition([parseCondition('[STATUS] == 200'), parseCondition('[RESPONSE_TIME] < 300')], seen({ responseTimeMs: 900 }))).toBe('[RESPONSE_TIME] (900) < 300');
  });

  it('fails status conditions when nothing connected, and JSON paths on a non-JSON body', () => {
    expect(holds('[STATUS] < 500', { connected: false, status: undefined })).toBe(false);
    expect(holds('[CONNECTED] == true', { connected: false, status: undefined })).toBe(false);
    expect(holds('[BODY].status == ok', { body: '<html>ok</html>' })).toBe(false);
  });

  it.each([
    ['[STATUS]==200', 'expected'],
    ['[STAUTS] == 200', 'unknown placeholder "[STAUTS]"'],
    ['[RESPONSE_TIME] < fast', '< needs a number'],
    ['[BODY]..x == 1', 'not a JSON path'],
    ['len([STATUS]) == 1', 'len() applies to [BODY] only'],
    ['[STATUS] == ', 'nothing right of the operator'],
    ['200 == [STATUS]', 'unknown placeholder "200"'],
    ['[CERTIFICATE_EXPIRATION] > soon', 'compares with a duration'],
  ])('refuses %j at parse time', (text, reason) => {
    expect(() => parseCondition(text)).toThrow(ConditionSyntaxError);
    expect(() => parseCondition(text)).toThrow(reason);
  });
});

describe('DNS and certificate placeholders', () => {
  it('[DNS_RCODE] compares the response code by name, [BODY] the first answer', () => {
    expect(holds('[DNS_RCODE] == NOERROR', { dnsRcode: 'NOERROR', body: '192.0.2.1' })).toBe(true);
    expect(holds('[DNS_RCODE] == NOERROR', { dnsRcode: 'NXDOMAIN', body: '' })).toBe(false);
    expect(holds('[BODY] == 192.0.2.1', { dnsRcode: 'NOERROR', body: '192.0.2.1' })).toBe(true);
    expect(holds('[DNS_RCODE] == any(NOERROR, NXDOMAIN)', { dnsRcode: 'NXDOMAIN' })).toBe(true);
  });

  it('[CERTIFICATE_EXPIRATION] compares the time left with a duration, and says it in hours', () => {
    const day = 86_400_000;
    expect(holds('[CERTIFICATE_EXPIRATION] > 240h', { certificateExpirationMs: 30 * day })).toBe(true);
    expect(holds('[CERTIFICATE_EXPIRATION] > 240h', { certificateExpirationMs: 5 * day })).toBe(false);
    expect(holds('[CERTIFICATE_EXPIRATION] > 7d', { certificateExpirationMs: 8 * day })).toBe(true);
    expect(firstFailedCondition([parseCondition('[CERTIFICATE_EXPIRATION] > 240h')], seen({ certificateExpirationMs: 5 * day }))).toBe('[CERTIFICATE_EXPIRATION] (120.0h) > 240h');
  });

  it('names the placeholder each condition needs', () => {
    expect(parseCondition('[DNS_RCODE] == NOERROR').placeholder).toBe('DNS_RCODE');
    expect(parseCondition('len([BODY].x) > 1').placeholder).toBe('BODY');
    expect(parseCondition('[CERTIFICATE_EXPIRATION] > 1h').placeholder).toBe('CERTIFICATE_EXPIRATION');
  });
});
