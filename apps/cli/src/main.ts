/** Entry of the `rainymodel` command (bundled to dist/apps/cli/main.js; tools/rainymodel.mjs runs it). */
import { runCli } from './cli';

void runCli(process.argv.slice(2)).then((code) => {
  // Let stdout drain (a pipe may still hold output) before the process ends.
  process.exitCode = code;
});
