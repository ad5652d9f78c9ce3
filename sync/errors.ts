/**
 * The one error type of the sync protocol, the terminal's sync worker and the HQ server.
 *
 * `code` is stable (UPPER_SNAKE) so the worker, the host and the UI can branch on it; `message` is for people;
 * `details` carries the facts needed to act (expected sequence, server time…); `cause` keeps a wrapped error.
 */
import { CodedError } from '../common/coded-error';

export class SyncError extends CodedError {
  override readonly name = 'SyncError';
}
