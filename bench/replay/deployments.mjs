/**
 * The replay's deployments of `rainymodel/auto`: what each costs, how good and how big it is
 * (the gateway's config says so through model_info) and how its fake upstream behaves.
 * Latencies are a quarter of real-world figures so a run takes seconds.
 *
 * `cheap-fast` slows down to 175 ms once 40% of a run's requests have started. `mid` has cheap
 * input and dear output (some providers price that way): plain order, which sorts DIRECT by
 * input + output price, prefers `cheap-fast`; for prompt-heavy requests `mid` is the cheaper.
 */
export const DEPLOYMENTS = [
  { name: 'free-hf', tier: 'free', quality: 6, window: 32_000, input: 0, output: 0, latencyMs: 100, failureRate: 0.25 },
  { name: 'local-small', tier: 'internal', quality: 4, window: 8_000, input: 0, output: 0, latencyMs: 60, failureRate: 0 },
  { name: 'cheap-fast', tier: 'direct', quality: 6, window: 128_000, input: 0.5e-6, output: 1.0e-6, latencyMs: 20, failureRate: 0.03 },
  { name: 'mid', tier: 'direct', quality: 7.5, window: 64_000, input: 0.1e-6, output: 2.0e-6, latencyMs: 40, failureRate: 0 },
  { name: 'strong', tier: 'direct', quality: 9.5, window: 200_000, input: 3e-6, output: 15e-6, latencyMs: 90, failureRate: 0 },
  { name: 'long', tier: 'premium', quality: 8, window: 1_048_576, input: 1.25e-6, output: 10e-6, latencyMs: 75, failureRate: 0.05 },
];

export const SLOWDOWN = { name: 'cheap-fast', afterShare: 0.4, latencyMs: 175 };

export function replayConfig(ports) {
  const entries = DEPLOYMENTS.map(
    (d) => `  - model_name: rainymodel/auto
    litellm_params: { model: openai/${d.name}, api_base: "http://127.0.0.1:${ports[d.name]}/v1", api_key: k, timeout: 10 }
    model_info: { id: ${d.name}, tier: ${d.tier}, quality: ${d.quality}, max_input_tokens: ${d.window}, input_cost_per_token: ${d.input}, output_cost_per_token: ${d.output} }`,
  );
  return `model_list:\n${entries.join('\n')}\nrouter_settings:\n  num_retries: 1\n  retry_backoff: 0.01\n  allowed_fails: 3\n  cooldown_time: 2\n  reliability_window: 10\n`;
}
