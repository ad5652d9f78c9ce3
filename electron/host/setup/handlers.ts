/**
 * The setup commands as a host with a book answers them: setup is over, and nothing may set the terminal
 * up a second time over its book.
 */
import type { SetupCommandName } from '../../contract/names';
import { ApiError } from '../../errors';
import type { Handlers } from '../api';

function setupDone(): never {
  throw new ApiError('SETUP_DONE', 'This terminal is already set up; its book stays as it is');
}

export function setupDoneHandlers(): Pick<Handlers, SetupCommandName> {
  return {
    'setup.status': () => ({ needed: false }),
    'setup.standalone': setupDone,
    'setup.join': setupDone,
    'setup.demo': setupDone,
    'setup.restore': setupDone,
  };
}
