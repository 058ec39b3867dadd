import { httpUrl, isHttpUrl, tcpPort } from './env-values';

describe('shared environment values', () => {
  it('reads a port alike, and refuses what is not one', () => {
    expect(tcpPort(8080).parse(undefined)).toBe(8080);
    expect(tcpPort(8080).parse('9001')).toBe(9001);
    for (const bad of ['x', '70000', '-1', '80.5']) expect(tcpPort(1).safeParse(bad).success).toBe(false);
  });

  it('takes http(s) URLs only, without trailing slashes', () => {
    expect(httpUrl.parse('https://login.example.test//')).toBe('https://login.example.test');
    for (const bad of ['login.example.test', 'ftp://example.test', 'javascript:alert(1)']) expect(httpUrl.safeParse(bad).success).toBe(false);
    expect(isHttpUrl('http://127.0.0.1:11434')).toBe(true);
    expect(isHttpUrl('file:///etc/passwd')).toBe(false);
  });
});
