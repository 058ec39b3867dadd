import { ConfigError } from '../config-error';
import { parseYamlSource } from '../yaml-source';
import { parseModelConfig } from './gateway-config';

const model = (alias: string, info = '') => `
  - model_name: ${alias}
    litellm_params: { model: openai/m, api_base: http://localhost:1/v1, api_key: k }${info ? `\n    model_info: ${info}` : ''}`;

const parse = (yaml: string) => parseModelConfig(parseYamlSource(yaml, 'c.yaml', {})).cache;

describe('response cache settings', () => {
  it('off for every alias by default, with the built-in freshness and bounds ready for a request that asks', () => {
    expect(parse(`model_list:${model('a')}`)).toEqual({
      allAliases: false,
      defaults: { ttlMs: 3_600_000, maxStaleMs: 86_400_000, staleIfError: true },
      maxEntries: 10_000,
      maxBytes: 64 * 1024 * 1024,
      aliases: {},
    });
  });

  it('router_settings.cache turns it on for every alias, in seconds and bytes', () => {
    const cache = parse(`model_list:${model('a')}\nrouter_settings:\n  cache: { ttl: 30, max_stale: 0, stale_if_error: false, max_entries: 5, max_bytes: 100000 }\n`);
    expect(cache).toMatchObject({ allAliases: true, defaults: { ttlMs: 30_000, maxStaleMs: 0, staleIfError: false }, maxEntries: 5, maxBytes: 100_000 });
    expect(parse(`model_list:${model('a')}\nrouter_settings:\n  cache: true\n`).allAliases).toBe(true);
    expect(parse(`model_list:${model('a')}\nrouter_settings:\n  cache: false\n`).allAliases).toBe(false);
  });

  it("model_info.cache sets one alias's freshness over the defaults, or false", () => {
    const cache = parse(`model_list:${model('a', '{ cache: { ttl: 10 } }')}${model('a')}${model('b', '{ cache: false }')}${model('c', '{ cache: true }')}\nrouter_settings:\n  cache: { max_stale: 20 }\n`);
    expect(cache.aliases).toEqual({ a: { ttlMs: 10_000, maxStaleMs: 20_000, staleIfError: true }, b: false, c: { ttlMs: 3_600_000, maxStaleMs: 20_000, staleIfError: true } });
  });

  it('refuses entries of one alias that disagree, and unknown or invalid keys', () => {
    expect(() => parse(`model_list:${model('a', '{ cache: { ttl: 10 } }')}${model('a', '{ cache: false }')}`)).toThrow(ConfigError);
    expect(() => parse(`model_list:${model('a')}\nrouter_settings:\n  cache: { ttl: 0 }\n`)).toThrow(ConfigError);
    expect(() => parse(`model_list:${model('a')}\nrouter_settings:\n  cache: { tll: 10 }\n`)).toThrow(/tll/);
    expect(() => parse(`model_list:${model('a')}\nrouter_settings:\n  cache: { max_bytes: 10 }\n`)).toThrow(ConfigError);
  });
});
