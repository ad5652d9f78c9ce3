/**
 * The one error type every device driver in `hardware/` throws.
 *
 * `code` is stable (UPPER_SNAKE) so callers and the UI can branch on it; `message` is for people;
 * `details` carries the facts needed to diagnose (reader name, status word, port…); `cause` keeps the
 * underlying error when one is wrapped.
 */
import { CodedError } from '../common/coded-error';

export class DeviceError extends CodedError {
  override readonly name = 'DeviceError';
}
