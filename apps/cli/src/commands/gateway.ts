/** The gateway's side: models, chat (streamed), upstreams (operator key), health (both apps). */
import type { Command } from '../command';
import { stringOption } from '../command';
import { CliError, EXIT, usageError } from '../exit-codes';
import { failure, jsonOf, request } from '../http';
import { table } from '../output';
import { sseData } from '../sse';

const POLICIES = ['auto', 'uncensored', 'premium', 'free'];
const PROFILES = ['quality', 'balanced', 'speed', 'budget', 'long-context'];

interface ModelEntry {
  readonly id: string;
  readonly owned_by: string;
  readonly tier?: string;
  readonly context_length?: number | null;
  readonly pricing?: { prompt: number | null; completion: number | null };
}

export const models: Command = {
  name: 'models',
  summary: 'the model aliases (--all: every deployment with window and price)',
  usage: 'models [--all]',
  options: ['all'],
  async run(ctx, args) {
    const bearer = await ctx.gatewayBearer();
    const all = args.values['all'] === true;
    const list = await jsonOf<{ data: ModelEntry[] }>(await request(`${ctx.settings.gateway}/v1/models${all ? '?all=true' : ''}`, { headers: { authorization: `Bearer ${bearer}` } }), 'models');
    const perMillion = (v: number | null | undefined) => (typeof v === 'number' ? `$${(v * 1e6).toFixed(2)}` : '');
    ctx.out.result(list, () =>
      all
        ? table(['MODEL', 'UPSTREAM', 'TIER', 'CONTEXT', 'IN/1M', 'OUT/1M'], list.data.map((m) => [m.id, m.owned_by, m.tier ?? '', m.context_length ? String(m.context_length) : '', perMillion(m.pricing?.prompt), perMillion(m.pricing?.completion)]))
        : list.data.map((m) => m.id).join('\n'),
    );
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const chat: Command = {
  name: 'chat',
  summary: 'ask a model; the answer streams to the terminal (the prompt from arguments or stdin)',
  usage: 'chat [--model ALIAS] [--policy auto|uncensored|premium|free] [--profile quality|balanced|speed|budget|long-context] [--system TEXT] [PROMPT…]',
  options: ['model', 'policy', 'profile', 'system'],
  async run(ctx, args) {
    const policy = stringOption(args, 'policy');
    const profile = stringOption(args, 'profile');
    if (policy !== undefined && !POLICIES.includes(policy)) throw usageError(`--policy must be one of ${POLICIES.join(', ')}`);
    if (profile !== undefined && !PROFILES.includes(profile)) throw usageError(`--profile must be one of ${PROFILES.join(', ')}`);
    // Arguments win; without them the prompt is stdin (a pipe or a file), never a silent wait on a terminal.
    let prompt = args.positionals.join(' ');
    if (!prompt && !process.stdin.isTTY) prompt = await readStdin();
    if (!prompt.trim()) throw usageError('no prompt: give it as arguments or on stdin');
    const system = stringOption(args, 'system');
    const model = stringOption(args, 'model') ?? 'rainymodel/auto';
    const messages = [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: prompt }];
    const headers: Record<string, string> = { authorization: `Bearer ${await ctx.gatewayBearer()}`, 'content-type': 'application/json', accept: 'text/event-stream' };
    if (policy) headers['x-rainymodel-policy'] = policy;
    if (profile) headers['x-rainymodel-profile'] = profile;
    const res = await request(`${ctx.settings.gateway}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model, messages, stream: true, stream_options: { include_usage: true } }) });
    if (!res.ok || !res.body) throw await failure(res, 'chat');
    let content = '';
    let usage: unknown = null;
    let answeredBy: string | undefined;
    for await (const data of sseData(res.body)) {
      const chunk = JSON.parse(data) as { model?: string; error?: { message?: string }; usage?: unknown; choices?: { delta?: { content?: string | null } }[] };
      if (chunk.error) throw new CliError(`chat: ${chunk.error.message ?? 'the stream failed'}`, EXIT.error, 'stream_error');
      answeredBy ??= chunk.model;
      if (chunk.usage) usage = chunk.usage;
      const piece = chunk.choices?.[0]?.delta?.content ?? '';
      content += piece;
      if (!ctx.out.json && piece) process.stdout.write(piece);
    }
    const routing = Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('x-rainymodel-')));
    if (ctx.out.json) ctx.out.result({ model: answeredBy ?? model, content, usage, routing }, () => content);
    else process.stdout.write(content.endsWith('\n') ? '' : '\n');
  },
};

interface Upstream {
  readonly name: string;
  readonly alias: string;
  readonly tier: string;
  readonly circuit: string;
  readonly latency_ewma_ms: number | null;
  readonly successes: number;
  readonly failures: number;
  readonly last_error: string | null;
}

export const upstreams: Command = {
  name: 'upstreams',
  summary: 'per-deployment tier, circuit and latency (needs RAINYMODEL_METRICS_KEY, the operator key)',
  usage: 'upstreams',
  options: [],
  async run(ctx) {
    const key = ctx.env['RAINYMODEL_METRICS_KEY'];
    if (!key) throw new CliError('upstreams is for operators: set RAINYMODEL_METRICS_KEY to the gateway\'s metrics (or master) key', EXIT.denied, 'operator_key_required');
    const list = await jsonOf<{ data: Upstream[] }>(await request(`${ctx.settings.gateway}/health/upstreams`, { headers: { authorization: `Bearer ${key}` } }), 'upstreams');
    const c = ctx.out.color;
    const circuit = (s: string) => (s === 'closed' ? c.green(s) : s === 'open' ? c.red(s) : c.yellow(s));
    ctx.out.result(list, () =>
      table(
        ['ALIAS', 'DEPLOYMENT', 'TIER', 'CIRCUIT', 'LATENCY', 'OK', 'FAILED', 'LAST ERROR'],
        list.data.map((u) => [u.alias, u.name, u.tier, circuit(u.circuit), u.latency_ewma_ms === null ? '' : `${Math.round(u.latency_ewma_ms)} ms`, String(u.successes), String(u.failures), u.last_error ?? '']),
      ),
    );
  },
};

export const health: Command = {
  name: 'health',
  summary: 'whether the gateway and Login answer (no sign-in needed)',
  usage: 'health',
  options: [],
  async run(ctx) {
    const probe = async (url: string) => {
      try {
        const res = await request(url);
        const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
        return { url, ok: res.ok && body['status'] === 'ok', status: res.status, body };
      } catch (error) {
        return { url, ok: false, status: null, error: (error as Error).message };
      }
    };
    const [gateway, login] = await Promise.all([probe(`${ctx.settings.gateway}/health`), probe(`${ctx.settings.login}/health`)]);
    const c = ctx.out.color;
    const line = (name: string, p: { ok: boolean; url: string; status: number | null }) => `${name.padEnd(8)}${p.ok ? c.green('ok') : c.red('down')}  ${p.url}${p.ok ? '' : ` (${p.status ?? 'unreachable'})`}`;
    ctx.out.result({ ok: gateway.ok && login.ok, gateway, login }, () => [line('gateway', gateway), line('login', login)].join('\n'));
    if (!gateway.ok || !login.ok) process.exitCode = EXIT.error;
  },
};
