import { MarketsimError } from '../../core/errors.ts';

/**
 * Bad input to the bond mathematics (a maturity before settlement, a NaN yield, a malformed 32nds
 * quote, unsorted curve tenors ...). Code `BOND_INPUT`; the message names the field or index.
 */
export class BondInputError extends MarketsimError {
  /** The field, flag or index the problem is in (`settle`, `tenors[3]`, `price`). */
  readonly field: string;
  constructor(field: string, message: string) {
    super('BOND_INPUT', `${field}: ${message}`);
    this.name = 'BondInputError';
    this.field = field;
  }
}
