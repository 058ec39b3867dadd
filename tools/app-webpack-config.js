/**
 * The one webpack setup of every Nest app: a Node CommonJS bundle at dist/apps/<app>/main.js,
 * dependencies left in node_modules (native argon2, Prisma's runtime, ESM-only packages loaded
 * with require(esm)). Each app's webpack.config.js is one call to this.
 */
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

module.exports = function appWebpackConfig(appDir, appName) {
  return {
    output: { path: join(appDir, '../../dist/apps', appName) },
    devtool: 'source-map',
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: false,
        sourceMap: true,
      }),
    ],
  };
};
