/**
 * Which alias a model name a client sent stands for. An alias of `model_list` is itself; other
 * names go through `model_aliases` (exact names and `*` globs, first match in file order), so an
 * agent that insists on its vendor's model names (Claude Code sends `claude-sonnet-4-5`, and a
 * cheaper `claude-haiku-…` for side tasks) lands on a RainyModel alias. Patterns are compiled
 * once; an exact alias costs one map lookup, as before.
 */
import type { ModelAliasRule } from '@orcest/config';

interface CompiledRule {
  readonly pattern: RegExp;
  readonly alias: string;
}

export class ModelNames {
  private readonly aliases: ReadonlySet<string>;
  private readonly exact = new Map<string, string>();
  private readonly globs: readonly CompiledRule[];

  constructor(aliases: readonly string[], rules: readonly ModelAliasRule[]) {
    this.aliases = new Set(aliases);
    const globs: CompiledRule[] = [];
    for (const rule of rules) {
      if (!rule.pattern.includes('*')) {
        if (!this.exact.has(rule.pattern)) this.exact.set(rule.pattern, rule.alias);
      } else {
        globs.push({ pattern: globToRegExp(rule.pattern), alias: rule.alias });
      }
    }
    this.globs = globs;
  }

  /** The alias `name` stands for, or undefined when it is none (a 404 `model_not_found`). */
  resolve(name: string): string | undefined {
    if (this.aliases.has(name)) return name;
    const exact = this.exact.get(name);
    if (exact !== undefined) return exact;
    for (const rule of this.globs) if (rule.pattern.test(name)) return rule.alias;
    return undefined;
  }
}

/** `claude-*` → /^claude-.*$/: every other character is literal. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}
