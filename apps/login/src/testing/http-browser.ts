/** The HTTP browser lives in libs/testing (the CLI's tests drive the device pages with it too). */
export { csrfToken, formAction, HttpBrowser, type BrowserResponse } from '@orcest/testing';
