/**
 * Stable codes for key-storage refusals (carried by the host's ApiError). A terminal that cannot get its
 * data key must not start half-working: these stop start-up with a reason a technician can act on.
 */
export const KEYSTORE_ERROR_CODES = [
  /** A key file is readable or writable by group or others; it is refused, not repaired silently. */
  'KEYSTORE_FILE_EXPOSED',
  /** A key file belongs to another user account. */
  'KEYSTORE_FILE_OWNER_WRONG',
  /** A key file does not parse, or holds a key of the wrong size. */
  'KEYSTORE_FILE_INVALID',
  /** A wrapped key cannot be unwrapped (another machine's or user's key store, or a damaged file). */
  'KEYSTORE_UNWRAP_FAILED',
  /** The OS key store is not available (Electron's safeStorage reports no encryption). */
  'KEYSTORE_UNAVAILABLE',
  /** The OS key store on Linux is `basic_text`: a hard-coded password, i.e. no protection. */
  'KEYSTORE_BACKEND_INSECURE',
] as const;

export type KeystoreErrorCode = (typeof KEYSTORE_ERROR_CODES)[number];
