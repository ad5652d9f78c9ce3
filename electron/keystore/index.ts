/**
 * Key storage for personal-data encryption and backups. The Electron-only wrapper lives in
 * `./safe-storage` and is imported by the Electron main process directly, never through here, so the Node
 * host in browser mode never loads `electron`.
 */
export { KEYSTORE_ERROR_CODES, type KeystoreErrorCode } from './codes';
export { openFileKeystore } from './file-keystore';
export { createFileKeyWrapper } from './file-wrapper';
export type { KeyWrapper } from './key-wrapper';
export {
  KEYSTORE_FILE,
  type Keystore,
  type OpenKeystoreOptions,
  openKeystore,
  replaceKeystoreKeys,
} from './keystore';
export { PRIVATE_FILE_MODE, readPrivateFile, writePrivateFile } from './private-file';
