/**
 * One key for one model across naming schemes: Ollama's `qwen2.5:14b`, OpenRouter's
 * `qwen/qwen-2.5-14b-instruct` and HuggingFace's `Qwen/Qwen2.5-14B-Instruct` all become
 * `qwen2514b`. The rules, in order (the README's Catalogue section lists them too):
 *
 * 1. lower-case; drop everything up to the last `/` (provider prefix and organisation);
 * 2. drop a quantisation suffix (`q4_k_m`, `fp16`, `bf16`, `int8`, `awq`, `gptq`, `gguf`, `mlx`);
 * 3. drop a trailing release date (`-2024-08-06`, `-20250514`, `-1212`, `-0324`);
 * 4. split on `-`, `_`, `:`, `.`, spaces and parentheses;
 * 5. drop words that name a packaging, not a model: `instruct`, `chat`, `it`, `latest`, `hf`,
 *    and zero-padded revisions such as `001`; a final `0` after a number (`sonnet-4-0` is
 *    `sonnet-4`);
 * 6. join what is left without separators.
 *
 * Where the rules fall short, `catalogue.names` in the config maps a deployment's model to
 * a catalogue id explicitly.
 */
const QUANTISATION = /[-_:.](?:q[2-8](?:_[0-9a-z]+)*|fp16|fp8|bf16|int[48]|awq|gptq|gguf|mlx)(?=$|[-_:.])/g;
const RELEASE_DATE = /[-_@ (](?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4})\)?$/;
const SEPARATORS = /[-_:.\s()]+/;
const PACKAGING = new Set(['instruct', 'chat', 'it', 'latest', 'hf']);
const REVISION = /^0\d\d$/;
const NUMBER = /^\d+$/;

export function canonicalModelName(name: string): string {
  let text = name.trim().toLowerCase();
  const slash = text.lastIndexOf('/');
  if (slash >= 0) text = text.slice(slash + 1);
  text = text.replace(QUANTISATION, '').replace(RELEASE_DATE, '');
  const kept: string[] = [];
  for (const token of text.split(SEPARATORS)) {
    if (token === '' || PACKAGING.has(token) || REVISION.test(token)) continue;
    kept.push(token);
  }
  const last = kept.length - 1;
  if (last > 0 && kept[last] === '0' && NUMBER.test(kept[last - 1])) kept.pop();
  return kept.join('');
}
