/** The SMTP client against the fake SMTP server on loopback: envelope, headers, dot-stuffing, errors. */
import { FakeSmtpServer } from '@orcest/testing';
import { SmtpClient, SmtpError } from './smtp-client';

let smtp: FakeSmtpServer;
beforeAll(async () => {
  smtp = await FakeSmtpServer.start();
});
afterAll(async () => {
  await smtp?.close();
});

it('sends one message: envelope, UTF-8 subject, extra headers, and a body whose dot lines survive', async () => {
  await new SmtpClient(smtp.url).send({ from: 'status@x.test', to: 'ada@x.test', subject: 'Ünïcode — ok', text: 'line one\n.\n..two dots\nend', headers: { 'List-Unsubscribe': '<http://x.test/u>' } });
  const [mail] = smtp.received;
  expect(mail.from).toBe('status@x.test');
  expect(mail.to).toEqual(['ada@x.test']);
  expect(mail.auth).toBeUndefined();
  expect(Buffer.from(/=\?UTF-8\?B\?([^?]+)\?=/.exec(mail.headers.subject)?.[1] ?? '', 'base64').toString()).toBe('Ünïcode — ok');
  expect(mail.headers['list-unsubscribe']).toBe('<http://x.test/u>');
  expect(mail.text).toBe('line one\r\n.\r\n..two dots\r\nend');
});

it('a refused DATA is an SmtpError with the reply code; header injection in an address is refused before sending', async () => {
  smtp.failNext = 1;
  await expect(new SmtpClient(smtp.url).send({ from: 'a@x.test', to: 'b@x.test', subject: 's', text: 't' })).rejects.toMatchObject({ name: 'SmtpError', code: 451 });
  await expect(new SmtpClient(smtp.url).send({ from: 'a@x.test', to: 'b@x.test>\r\nRCPT TO:<c@x.test', subject: 's', text: 't' })).rejects.toThrow(SmtpError);
});

it('a closed port fails fast', async () => {
  const closed = await FakeSmtpServer.start();
  const url = closed.url;
  await closed.close();
  await expect(new SmtpClient(url, 2000).send({ from: 'a@x.test', to: 'b@x.test', subject: 's', text: 't' })).rejects.toThrow();
});
