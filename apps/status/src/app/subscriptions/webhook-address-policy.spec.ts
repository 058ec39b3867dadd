import { checkWebhookUrl, isPrivateAddress, WebhookUrlRefused } from './webhook-address-policy';

describe('webhook address policy', () => {
  it.each([
    ['127.0.0.1', true], ['10.1.2.3', true], ['172.20.0.1', true], ['192.168.1.1', true], ['169.254.169.254', true], ['100.64.0.1', true], ['0.0.0.0', true],
    ['::1', true], ['fe80::1', true], ['fd00::1', true], ['::ffff:10.0.0.1', true], ['::', true],
    ['93.184.216.34', false], ['8.8.8.8', false], ['2606:4700::1111', false], ['::ffff:8.8.8.8', false],
  ])('%s private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  it('refuses loopback, private and metadata addresses, credentials and other schemes, without resolving anything for IP literals', async () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://[::1]/x', 'https://169.254.169.254/latest/meta-data', 'http://10.0.0.5/']) {
      await expect(checkWebhookUrl(url, false)).rejects.toThrow('private, loopback or link-local');
    }
    await expect(checkWebhookUrl('ftp://93.184.216.34/', false)).rejects.toThrow(WebhookUrlRefused);
    await expect(checkWebhookUrl('https://u:p@93.184.216.34/', false)).rejects.toThrow('user or password');
    await expect(checkWebhookUrl('not a url', false)).rejects.toThrow('not a URL');
    await expect(checkWebhookUrl('https://93.184.216.34/hook', false)).resolves.toBeInstanceOf(URL);
  });

  it('localhost resolves to loopback and is refused; allowed when private webhooks are allowed', async () => {
    await expect(checkWebhookUrl('http://localhost:1/hook', false)).rejects.toThrow('private');
    await expect(checkWebhookUrl('http://127.0.0.1:1/hook', true)).resolves.toBeInstanceOf(URL);
  });
});
