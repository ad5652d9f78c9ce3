/**
 * The one error type of the sync protocol, the terminal's sync worker and the HQ server.
 *
 * `code` is stable (UPPER_SNAKE) so the worker, the host and the UI can branch on it; `message` is for people;
 * `details` carries the facts needed to act (expected sequence, server time…); `cause` keeps a wrapped error.
 */
export class SyncError extends Error {
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SyncError';
    this.details = options?.details;
  }
}
