/**
 * The one error type every device driver in `hardware/` throws.
 *
 * `code` is stable (UPPER_SNAKE) so callers and the UI can branch on it; `message` is for people;
 * `details` carries the facts needed to diagnose (reader name, status word, port…); `cause` keeps the
 * underlying error when one is wrapped.
 */
export class DeviceError extends Error {
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeviceError';
    this.details = options?.details;
  }
}
