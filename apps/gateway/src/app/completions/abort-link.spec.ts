import { AbortLink } from './abort-link';

describe('AbortLink', () => {
  it('runs each listener once, in order, when it aborts; a removed one not at all', () => {
    const link = new AbortLink();
    const calls: string[] = [];
    const removed = () => calls.push('removed');
    link.once('abort', () => calls.push('first')).once('abort', removed).once('abort', () => calls.push('last'));
    link.removeListener('abort', removed);
    link.removeListener('abort', () => calls.push('never added'));
    expect(link.aborted).toBe(false);
    link.abort();
    link.abort();
    expect(link.aborted).toBe(true);
    expect(calls).toEqual(['first', 'last']);
  });

  it('a listener that removes another while the link aborts does not stop it', () => {
    const link = new AbortLink();
    const calls: string[] = [];
    const second = () => calls.push('second');
    link.once('abort', () => link.removeListener('abort', second)).once('abort', second);
    link.abort();
    expect(calls).toEqual(['second']);
  });
});
