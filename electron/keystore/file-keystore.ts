import { join } from 'node:path';
import { createFileKeyWrapper } from './file-wrapper';
import { type Keystore, openKeystore } from './keystore';

/** Browser mode: `<dataDir>/keys/wrapping.key` and `<dataDir>/keys/data-keys.json`, both 0600. */
export async function openFileKeystore(dataDir: string, now?: () => number): Promise<Keystore> {
  const dir = join(dataDir, 'keys');
  return openKeystore({ dir, wrapper: await createFileKeyWrapper(join(dir, 'wrapping.key')), now });
}
