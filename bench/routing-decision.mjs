/**
 * The routing decision's own cost, in µs per request (`npm run bench`, or alone: `node
 * bench/routing-decision.mjs`): what POST /v1/chat/completions runs between validating the
 * body and starting the walk — measure the request, filter by window, and with a profile
 * score and order — on the shipped config's largest alias (rainymodel/agent, 8 deployments,
 * every key set) with the shipped catalogue. Profile off is today's order plus the window
 * check and the complexity label; on adds the scoring and the ranking header.
 */
import './ts-hook.mjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { loadGatewayConfig } = require('@orcest/config');
const { measureRequest } = require('@orcest/routing');
const { DeploymentRegistry } = require('../apps/gateway/src/app/deployments/deployment-registry.ts');
const { CatalogueService } = require('../apps/gateway/src/app/catalogue/catalogue-service.ts');
const { RoutingState } = require('../apps/gateway/src/app/routing/routing-state.ts');
const { RoutePlanner } = require('../apps/gateway/src/app/routing/route-planner.ts');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keys = { HF_TOKEN: 'h', OLLAMAFREE_API_KEY: 'o', DEEPSEEK_API_KEY: 'd', GEMINI_API_KEY: 'g', OPENAI_API_KEY: 'oa', ANTHROPIC_API_KEY: 'a', XAI_API_KEY: 'x', OPENROUTER_API_KEY: 'r' };
const config = loadGatewayConfig({ RAINYMODEL_CONFIG: join(root, 'config/litellm_config.yaml'), ...keys });
const registry = new DeploymentRegistry(config);
const catalogue = new CatalogueService(config.catalogue, undefined, () => undefined);
const state = new RoutingState(registry, config.deployments, config.routing, catalogue.catalogue, config.catalogue.names);
const planner = new RoutePlanner(registry, state, config.routing);
// Some live figures, as after traffic.
registry.forAlias('rainymodel/agent').forEach((d, i) => {
  for (let n = 0; n < 50; n++) d.health.recordSuccess('normal');
  for (let n = 0; n < i % 3; n++) d.health.recordFailure('http_503', 'down', Date.now(), 'normal');
  d.health.recordTotal(200 + 90 * i);
});

const alias = 'rainymodel/agent';
const ordered = registry.ordered(alias, 'auto');
const request = {
  model: alias,
  messages: [
    { role: 'system', content: 'You are a helpful assistant that answers concisely.' },
    { role: 'user', content: 'Compare the trade-offs of these two caching designs and say which fits a read-heavy API.' },
  ],
  max_tokens: 512,
};

function run(profile, iterations) {
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += planner.plan(alias, ordered, profile, measureRequest(request), false).deployments.length;
  const ns = Number(process.hrtime.bigint() - started);
  if (sink === 0) throw new Error('no deployments planned');
  return ns / iterations / 1000;
}

const ITERATIONS = Number(process.env.DECISION_ITERATIONS ?? 200_000);
run(undefined, 20_000);
run('balanced', 20_000);
const results = { off: [], on: [] };
for (let round = 0; round < 5; round++) {
  results.off.push(run(undefined, ITERATIONS));
  results.on.push(run('balanced', ITERATIONS));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\nRouting decision (${alias}, ${ordered.length} deployments, median of 5 × ${ITERATIONS.toLocaleString('en')}):`);
console.log(`  profile off (policy order, window check, complexity): ${median(results.off).toFixed(2)} µs per request`);
console.log(`  profile on  (balanced: + scores, order, ranking header): ${median(results.on).toFixed(2)} µs per request`);
