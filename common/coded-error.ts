/**
 * The one base of every refusal with a stable code: the ledger's, the devices', the link to HQ's and the
 * host's. Each folder keeps its own subclass (its name tells the log which layer refused, its code type lists
 * what that layer may say), and the host's API boundary recognises them all by this class: a `CodedError`
 * carries words for a person (`code`, `message`, `details`); anything else is reported as HOST_FAILED.
 */
export interface CodedErrorOptions {
  /** The underlying failure, kept for the log, never shown. */
  cause?: unknown;
  /** Facts a screen may show (an amount available, a limit, a count of tries left). */
  details?: Record<string, unknown>;
}

export class CodedError<Code extends string = string> extends Error {
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: Code,
    message: string,
    options?: CodedErrorOptions,
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.details = options?.details;
  }

  toJSON(): { code: Code; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
