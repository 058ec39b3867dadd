/**
 * Reads a YAML file into plain data with environment expansion, keeping enough of the source
 * to say on which line a bad key sits.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { ConfigError } from './config-error';
import { Env, expandEnvDeep } from './expand-env';

export type ConfigPath = ReadonlyArray<string | number>;

export interface YamlSource {
  readonly file: string;
  readonly data: unknown;
  /** The same data before `${VAR}` expansion: which variable a value was meant to come from. */
  readonly raw: unknown;
  /** SHA-256 (hex) of the file's text: which version of the file is in force (live reload, /health). */
  readonly sha256: string;
  /** `file:line` of the node at `path` (or of its nearest existing parent). */
  locate(path: ConfigPath): string;
}

export function parseYamlSource(text: string, file: string, env: Env): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first.linePos?.[0]?.line;
    throw new ConfigError(`${file}${line ? `:${line}` : ''}: invalid YAML: ${first.message.split('\n')[0]}`);
  }
  const locate = (path: ConfigPath): string => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return `${file}:${lineCounter.linePos(node.range[0]).line}`;
    }
    return file;
  };
  const raw: unknown = doc.toJS();
  return { file, data: expandEnvDeep(raw, env), raw, sha256: createHash('sha256').update(text).digest('hex'), locate };
}

export function readYamlSource(file: string, env: Env): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  return parseYamlSource(text, file, env);
}
