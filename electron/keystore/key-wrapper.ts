/**
 * A KeyWrapper protects the data-encryption keys at rest: the keystore file holds them only wrapped.
 * Two implementations: the OS key store through Electron's safeStorage (desktop), and a wrapping key in a
 * 0600 file in the data folder (browser mode, where no OS key store is reachable).
 */
export interface KeyWrapper {
  /** Short name recorded next to wrapped keys, so a keystore is never unwrapped by the wrong kind. */
  readonly kind: string;
  wrap(key: Uint8Array): Promise<Buffer>;
  unwrap(wrapped: Buffer): Promise<Buffer>;
}
