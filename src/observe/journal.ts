import { createHash, type Hash } from 'node:crypto';

/**
 * The audit journal: the ordered stream of order and fill events of a run, one text line each,
 * with a running SHA-256 over the lines. Two runs with the same inputs and seed give the same
 * `hash()`; any difference in any order event changes it. Lines are kept in memory only when asked.
 */
export class Journal {
  private readonly sha: Hash = createHash('sha256');
  private readonly kept: string[] | undefined;
  /** Lines not yet fed to the hash: hashing in chunks costs one native call per ~64 KiB, not per line. */
  private pending = '';
  /** Lines recorded so far. */
  count = 0;

  constructor(keepLines = false) {
    this.kept = keepLines ? [] : undefined;
  }

  /** Appends one event line (fields joined by `|`). */
  record(line: string): void {
    this.pending += line + '\n';
    if (this.pending.length > 65_536) this.flush();
    this.count++;
    this.kept?.push(line);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.sha.update(this.pending);
    this.pending = '';
  }

  /** The lines, when the journal keeps them. */
  lines(): readonly string[] {
    return this.kept ?? [];
  }

  /** Hex SHA-256 of every line recorded so far (the journal can keep growing afterwards). */
  hash(): string {
    this.flush();
    return this.sha.copy().digest('hex');
  }
}
