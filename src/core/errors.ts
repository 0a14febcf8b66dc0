/**
 * Errors that name the place of the problem: a file and line, a config path, an order id.
 * Every error the engine raises on bad input is one of these, so callers can print it as is.
 */
export class MarketsimError extends Error {
  /** A stable machine-readable code, e.g. `DATA_MALFORMED`, `CONFIG_INVALID`. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'MarketsimError';
    this.code = code;
  }
}

/** Bad input data: names the file, the 1-based line and the field. */
export class DataError extends MarketsimError {
  readonly file: string;
  readonly line: number;
  readonly field: string | undefined;
  constructor(file: string, line: number, field: string | undefined, message: string) {
    super('DATA_MALFORMED', `${file}:${line}${field ? ` field ${field}` : ''}: ${message}`);
    this.name = 'DataError';
    this.file = file;
    this.line = line;
    this.field = field;
  }
}

/** A config that does not validate: names the path of each problem (`strategy.params.fast`). */
export class ConfigError extends MarketsimError {
  readonly issues: readonly { path: string; message: string }[];
  constructor(issues: readonly { path: string; message: string }[], source = 'config') {
    super('CONFIG_INVALID', `${source} is invalid:\n` + issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
