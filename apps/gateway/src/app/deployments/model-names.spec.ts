import { ModelNames } from './model-names';

describe('ModelNames', () => {
  const names = new ModelNames(
    ['rainymodel/agent', 'rainymodel/chat', 'claude-exact-alias'],
    [
      { pattern: 'claude-3-5-haiku-*', alias: 'rainymodel/chat' },
      { pattern: 'claude-*', alias: 'rainymodel/agent' },
      { pattern: 'gpt-4o', alias: 'rainymodel/chat' },
      { pattern: 'a.b*', alias: 'rainymodel/chat' },
    ],
  );

  it('keeps an alias as itself, even when a pattern would match it', () => {
    expect(names.resolve('rainymodel/agent')).toBe('rainymodel/agent');
    expect(names.resolve('claude-exact-alias')).toBe('claude-exact-alias');
  });

  it('maps exact names and globs, first matching rule wins', () => {
    expect(names.resolve('gpt-4o')).toBe('rainymodel/chat');
    expect(names.resolve('claude-3-5-haiku-20241022')).toBe('rainymodel/chat');
    expect(names.resolve('claude-sonnet-4-5-20250929')).toBe('rainymodel/agent');
    expect(names.resolve('claude-')).toBe('rainymodel/agent');
  });

  it('treats every character but * literally, and anchors the whole name', () => {
    expect(names.resolve('a.b-1')).toBe('rainymodel/chat');
    expect(names.resolve('axb')).toBeUndefined();
    expect(names.resolve('my-claude-x')).toBeUndefined();
    expect(names.resolve('gpt-4o-mini')).toBeUndefined();
    expect(names.resolve('nothing')).toBeUndefined();
  });
});
