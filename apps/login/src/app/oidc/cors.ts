/** Origin patterns such as `https://*.orcest.ai`: `*.` matches one or more subdomain labels. */
export function originMatcher(patterns: readonly string[]): (origin: string) => boolean {
  const regexes = patterns.map((pattern) => {
    const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`^${escaped.replaceAll('*\\.', '(?:[a-z0-9-]+\\.)+')}$`, 'i');
  });
  return (origin) => regexes.some((r) => r.test(origin));
}
