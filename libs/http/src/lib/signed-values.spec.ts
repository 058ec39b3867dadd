import { createHmac } from 'node:crypto';
import { hasStringFields, MAX_SIGNED_VALUE_LENGTH, SignedValues } from './signed-values';

const NOW = Date.UTC(2026, 0, 1);
const values = new SignedValues('a-secret-of-some-length');
const isSession = hasStringFields('sub', 'role');

describe('SignedValues', () => {
  it('round-trips a payload for its purpose until it expires', () => {
    const v = values.sign('session', { sub: 'u1', role: 'admin' }, 1000, NOW);
    expect(values.verify('session', v, NOW, isSession)).toEqual({ sub: 'u1', role: 'admin' });
    expect(values.verify('session', v, NOW + 999, isSession)).toEqual({ sub: 'u1', role: 'admin' });
    expect(values.verify('session', v, NOW + 1000, isSession)).toBeUndefined();
  });

  it('a value signed for one purpose never verifies for another', () => {
    const signin = values.sign('signin', { sub: 'u1', role: 'admin' }, 1000, NOW);
    expect(values.verify('session', signin, NOW, isSession)).toBeUndefined();
  });

  it('the purpose field is checked even where the key would match (a mixed-up key)', () => {
    // Forge with the session key but an envelope naming another purpose.
    const key = createHmac('sha256', 'a-secret-of-some-length').update('orcest-signed-value:session').digest();
    const body = Buffer.from(JSON.stringify({ p: 'signin', exp: NOW + 1000, v: { sub: 'u1', role: 'admin' } })).toString('base64url');
    const forged = `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
    expect(values.verify('session', forged, NOW, isSession)).toBeUndefined();
  });

  it('another secret, a changed body or signature, or the wrong shape: undefined', () => {
    const v = values.sign('session', { sub: 'u1', role: 'admin' }, 1000, NOW);
    const [body, mac] = v.split('.');
    const other = new SignedValues('another-secret-of-length');
    expect(other.verify('session', v, NOW, isSession)).toBeUndefined();
    const changed = Buffer.from(JSON.stringify({ p: 'session', exp: NOW + 1000, v: { sub: 'u2', role: 'admin' } })).toString('base64url');
    expect(values.verify('session', `${changed}.${mac}`, NOW, isSession)).toBeUndefined();
    expect(values.verify('session', `${body}.${mac.slice(0, -2)}AA`, NOW, isSession)).toBeUndefined();
    expect(values.verify('session', values.sign('session', { sub: 'u1' }, 1000, NOW), NOW, isSession)).toBeUndefined();
    expect(values.verify('session', values.sign('session', 'text', 1000, NOW), NOW, isSession)).toBeUndefined();
  });

  it.each([undefined, '', '%', '.', 'a.b.c', 'no-dot', '.sig', 'x'.repeat(MAX_SIGNED_VALUE_LENGTH + 1)])('malformed %j is undefined, never an error', (value) => {
    expect(values.verify('session', value, NOW, isSession)).toBeUndefined();
  });

  it('a valid signature over a body that is not JSON is undefined', () => {
    const key = createHmac('sha256', 'a-secret-of-some-length').update('orcest-signed-value:session').digest();
    const body = Buffer.from('not json').toString('base64url');
    expect(values.verify('session', `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`, NOW, isSession)).toBeUndefined();
  });

  it('refuses a short secret', () => {
    expect(() => new SignedValues('short')).toThrow(/at least 16/);
  });
});
