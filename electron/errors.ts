/**
 * The host's error type. Everything that crosses to the renderer is reduced to `{ code, message, details }`;
 * the `cause` (and every stack trace) stays in the host's log.
 */
import { CodedError } from '../common/coded-error';

export class ApiError extends CodedError {
  override readonly name = 'ApiError';
}
