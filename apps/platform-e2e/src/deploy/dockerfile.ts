/**
 * A Dockerfile read into stages and instructions (continuation lines joined, comments dropped),
 * enough for the deploy specs to check what an image does and which environment the app sees.
 */
import { readFileSync } from 'node:fs';

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly from: string;
  readonly name?: string;
  readonly instructions: readonly Instruction[];
}

export function readDockerfile(path: string): Stage[] {
  const logical = readFileSync(path, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: { from: string; name?: string; instructions: Instruction[] }[] = [];
  for (const line of logical) {
    const [keyword, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      stages.push({ from: match?.[1] ?? args, name: match?.[2], instructions: [] });
    } else stages[stages.length - 1]?.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

/** `ENV A=1 B="two"` of a stage, in order. */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) env[match[1]] = match[3] ?? match[2];
  }
  return env;
}
