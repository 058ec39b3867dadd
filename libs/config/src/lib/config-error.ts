/** A configuration problem found at start. The message names the key (and line, when from YAML). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
