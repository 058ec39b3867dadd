/** Login's page tests use the shared Chromium launcher (libs/testing). */
export { CHROMIUM_PATH, chromiumAvailable, launchChromium } from '@orcest/testing';
