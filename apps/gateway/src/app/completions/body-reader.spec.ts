import { Readable } from 'node:stream';
import { BodyReader } from './body-reader';

const readable = () => new Readable({ read: () => undefined });

describe('BodyReader', () => {
  it('takes what is buffered at once, waits for later chunks, then reports the end', async () => {
    const body = readable();
    body.push(Buffer.from('a'));
    body.push(Buffer.from('b'));
    const reader = new BodyReader(body);
    // Buffered: the chunk itself, no promise.
    expect(reader.next()?.toString()).toBe('ab');
    const later = reader.next();
    expect(later).toBeInstanceOf(Promise);
    setTimeout(() => body.push(Buffer.from('c')), 5);
    expect((await later)?.toString()).toBe('c');
    setTimeout(() => body.push(null), 5);
    expect(await reader.next()).toBeNull();
    expect(await reader.next()).toBeNull();
  });

  it("rejects with the body's error while waiting, and throws it on the next read", async () => {
    const body = readable();
    const reader = new BodyReader(body);
    const waiting = reader.next();
    const failure = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    body.destroy(failure);
    await expect(waiting).rejects.toBe(failure);
    expect(() => reader.next()).toThrow(failure);
  });

  it('a body closed before its end is a premature close, like the async iterator says', async () => {
    const body = readable();
    body.push(Buffer.from('partial'));
    const reader = new BodyReader(body);
    expect((await reader.next())?.toString()).toBe('partial');
    const waiting = reader.next();
    body.destroy();
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
});
