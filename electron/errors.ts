/**
 * The host's error type. Everything that crosses to the renderer is reduced to `{ code, message, details }`;
 * the `cause` (and every stack trace) stays in the host's log.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.details = options?.details;
  }
}
