/**
 * Gatus's condition notation, parsed once at start and evaluated against each check result:
 *
 *   [STATUS] == 200          [RESPONSE_TIME] < 300       [BODY].status == ok
 *   [BODY] == pat(*ok*)      [BODY].state == any(up, ok) len([BODY].data) > 0
 *   has([BODY].errors) == false                          [CONNECTED] == true
 *   [DNS_RCODE] == NOERROR   [CERTIFICATE_EXPIRATION] > 240h
 *
 * `<left> <op> <right>` with spaces around the operator; `<`, `<=`, `>`, `>=` compare numbers,
 * `==`/`!=` compare text (with `pat()` wildcards and `any()` alternatives on the right).
 * `[CERTIFICATE_EXPIRATION]` is the time left on the server's certificate and compares with a
 * duration (`240h`, `7d`) or milliseconds; `[DNS_RCODE]` is the answer's response code by name.
 * A condition that cannot be understood fails at start (ConditionSyntaxError), never at run time.
 */
import { parseDuration } from '../duration';
import { MISSING, parseJsonPath, resolveJsonPath, type PathSegment } from './json-path';

export type Operator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** What a check observed, as the conditions see it. */
export interface CheckObservation {
  readonly connected: boolean;
  readonly status: number | undefined;
  readonly responseTimeMs: number;
  /** The body as text (capped by the checker); for DNS checks, the first answer's data. */
  readonly body: string;
  /** DNS checks: the answer's response code (NOERROR, NXDOMAIN, SERVFAIL, …). */
  readonly dnsRcode?: string;
  /** HTTPS checks that ask for it: milliseconds until the server's certificate expires. */
  readonly certificateExpirationMs?: number;
}

/** Which check a placeholder needs; the config refuses a condition its check cannot observe. */
export type PlaceholderName = 'STATUS' | 'RESPONSE_TIME' | 'CONNECTED' | 'BODY' | 'DNS_RCODE' | 'CERTIFICATE_EXPIRATION';

type Placeholder =
  | { kind: 'status' }
  | { kind: 'response_time' }
  | { kind: 'connected' }
  | { kind: 'dns_rcode' }
  | { kind: 'certificate_expiration' }
  | { kind: 'body'; path: PathSegment[] };

type Left = { fn: 'none' | 'len' | 'has'; placeholder: Placeholder };

type Right =
  | { kind: 'literal'; text: string; number: number | undefined }
  | { kind: 'pattern'; regex: RegExp }
  | { kind: 'any'; options: string[] };

export interface Condition {
  /** As written, for messages. */
  readonly text: string;
  readonly usesBody: boolean;
  /** The placeholder on the left, e.g. `STATUS`. */
  readonly placeholder: PlaceholderName;
  /** Undefined when the condition holds; otherwise what was seen, e.g. `[STATUS] (503) == 200`. */
  check(observation: CheckObservation, parsedBody: () => unknown): string | undefined;
}

export class ConditionSyntaxError extends Error {
  constructor(
    readonly condition: string,
    reason: string,
  ) {
    super(`invalid condition "${condition}": ${reason}`);
    this.name = 'ConditionSyntaxError';
  }
}

const OPERATOR = / (==|!=|<=|>=|<|>) /;

export function parseCondition(text: string): Condition {
  const match = OPERATOR.exec(text);
  if (!match) throw new ConditionSyntaxError(text, 'expected "<left> <op> <right>" with one of ==, !=, <, <=, >, >= between spaces');
  const op = match[1] as Operator;
  const leftText = text.slice(0, match.index).trim();
  const rightText = text.slice(match.index + match[0].length).trim();
  if (!leftText) throw new ConditionSyntaxError(text, 'nothing left of the operator');
  if (!rightText) throw new ConditionSyntaxError(text, 'nothing right of the operator');
  if (OPERATOR.test(` ${rightText} `) && !/^(pat|any)\(/.test(rightText)) throw new ConditionSyntaxError(text, 'more than one operator');
  const left = parseLeft(text, leftText);
  let right = parseRight(text, rightText);
  if (left.placeholder.kind === 'certificate_expiration' && right.kind === 'literal' && right.number === undefined) {
    // Gatus writes the time left as a duration: `> 240h`.
    const ms = parseDuration(right.text);
    if (ms === undefined) throw new ConditionSyntaxError(text, `[CERTIFICATE_EXPIRATION] compares with a duration such as 240h or 7d, not "${right.text}"`);
    right = { kind: 'literal', text: right.text, number: ms };
  }
  if (op !== '==' && op !== '!=') {
    if (right.kind !== 'literal' || right.number === undefined) throw new ConditionSyntaxError(text, `${op} needs a number on the right`);
  } else if (right.kind !== 'literal' && left.fn !== 'none') {
    throw new ConditionSyntaxError(text, 'pat() and any() compare text, not len()/has()');
  }
  const usesBody = left.placeholder.kind === 'body';
  return {
    text,
    usesBody,
    placeholder: left.placeholder.kind === 'body' ? 'BODY' : (left.placeholder.kind.toUpperCase() as PlaceholderName),
    check(observation, parsedBody) {
      const value = leftValue(left, observation, parsedBody);
      if (compare(value, op, right)) return undefined;
      const shown = value === undefined ? 'missing' : left.placeholder.kind === 'certificate_expiration' ? `${(Number(value) / 3_600_000).toFixed(1)}h` : shorten(value);
      return `${leftText} (${shown}) ${op} ${rightText}`;
    },
  };
}

function parseLeft(text: string, leftText: string): Left {
  const fn = /^(len|has)\((.*)\)$/.exec(leftText);
  const inner = fn ? fn[2].trim() : leftText;
  const placeholder = parsePlaceholder(text, inner);
  if (fn && placeholder.kind !== 'body') throw new ConditionSyntaxError(text, `${fn[1]}() applies to [BODY] only`);
  return { fn: fn ? (fn[1] as 'len' | 'has') : 'none', placeholder };
}

function parsePlaceholder(text: string, value: string): Placeholder {
  if (value === '[STATUS]') return { kind: 'status' };
  if (value === '[RESPONSE_TIME]') return { kind: 'response_time' };
  if (value === '[CONNECTED]') return { kind: 'connected' };
  if (value === '[DNS_RCODE]') return { kind: 'dns_rcode' };
  if (value === '[CERTIFICATE_EXPIRATION]') return { kind: 'certificate_expiration' };
  if (value.startsWith('[BODY]')) {
    const path = parseJsonPath(value.slice('[BODY]'.length));
    if (!path) throw new ConditionSyntaxError(text, `"${value}" is not a JSON path (use [BODY].key, [BODY].list[0].key)`);
    return { kind: 'body', path };
  }
  throw new ConditionSyntaxError(text, `unknown placeholder "${value}" (use [STATUS], [RESPONSE_TIME], [BODY], [CONNECTED], [DNS_RCODE], [CERTIFICATE_EXPIRATION])`);
}

function parseRight(text: string, rightText: string): Right {
  const pat = /^pat\((.*)\)$/.exec(rightText);
  if (pat) return { kind: 'pattern', regex: wildcard(pat[1]) };
  const any = /^any\((.*)\)$/.exec(rightText);
  if (any) {
    const options = any[1].split(',').map((o) => o.trim());
    if (options.some((o) => o === '')) throw new ConditionSyntaxError(text, 'any() needs a comma-separated list of values');
    return { kind: 'any', options };
  }
  if (/^\[[A-Z_]+\]/.test(rightText)) throw new ConditionSyntaxError(text, 'put the placeholder on the left of the operator');
  const number = /^-?\d+(\.\d+)?$/.test(rightText) ? Number(rightText) : undefined;
  return { kind: 'literal', text: rightText, number };
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${escaped}$`);
}

/** The left side as text (or number for numeric placeholders); undefined when absent. */
function leftValue(left: Left, observation: CheckObservation, parsedBody: () => unknown): string | number | undefined {
  const p = left.placeholder;
  switch (p.kind) {
    case 'status':
      return observation.status;
    case 'response_time':
      return observation.responseTimeMs;
    case 'connected':
      return String(observation.connected);
    case 'dns_rcode':
      return observation.dnsRcode;
    case 'certificate_expiration':
      return observation.certificateExpirationMs;
    case 'body': {
      if (p.path.length === 0 && left.fn === 'none') return observation.body;
      const value = p.path.length === 0 ? parsedBodyOrText(observation, parsedBody) : resolveJsonPath(parsedBody(), p.path);
      if (left.fn === 'has') return String(value !== MISSING);
      if (value === MISSING) return undefined;
      if (left.fn === 'len') return lengthOf(value);
      if (value === null) return 'null';
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
  }
}

function parsedBodyOrText(observation: CheckObservation, parsedBody: () => unknown): unknown {
  const parsed = parsedBody();
  return parsed === MISSING ? observation.body : parsed;
}

function lengthOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return String(value).length;
}

function compare(value: string | number | undefined, op: Operator, right: Right): boolean {
  if (value === undefined) return op === '!=';
  if (right.kind === 'pattern') return right.regex.test(String(value)) === (op === '==');
  if (right.kind === 'any') return right.options.includes(String(value)) === (op === '==');
  if (op === '==') return String(value) === right.text;
  if (op === '!=') return String(value) !== right.text;
  const n = typeof value === 'number' ? value : Number(value);
  const r = right.number as number;
  if (!Number.isFinite(n)) return false;
  switch (op) {
    case '<':
      return n < r;
    case '<=':
      return n <= r;
    case '>':
      return n > r;
    default:
      return n >= r;
  }
}

function shorten(value: string | number): string {
  const text = String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A condition that did not hold, and what was seen (`[STATUS] (503) == 200`). */
export interface FailedCondition {
  readonly condition: Condition;
  readonly seen: string;
}

/**
 * Evaluates conditions in order; returns the first that fails, or undefined when all hold.
 * The body is parsed as JSON at most once, and only when a condition needs it.
 */
export function findFailedCondition(conditions: readonly Condition[], observation: CheckObservation): FailedCondition | undefined {
  let parsed: unknown = undefined;
  let parsedOnce = false;
  const parsedBody = () => {
    if (!parsedOnce) {
      parsedOnce = true;
      try {
        parsed = JSON.parse(observation.body);
      } catch {
        parsed = MISSING;
      }
    }
    return parsed;
  };
  for (const condition of conditions) {
    const seen = condition.check(observation, parsedBody);
    if (seen !== undefined) return { condition, seen };
  }
  return undefined;
}

/** The first failure's description (what was seen), or undefined when all hold. */
export function firstFailedCondition(conditions: readonly Condition[], observation: CheckObservation): string | undefined {
  return findFailedCondition(conditions, observation)?.seen;
}
