/**
 * The customer display's commands (see `contract/display.ts`): the counter shows amounts, the customer window
 * asks what is on show when it opens and takes the customer's rating of a charge, the technician pairs and tests the LED display.
 */
import type { DisplayCommandName } from '../../contract/names';
import type { Handlers } from '../api';
import type { CustomerDisplay } from '../devices/customer-display';

export function displayHandlers(display: CustomerDisplay): Pick<Handlers, DisplayCommandName> {
  return {
    'display.show': (input) => display.show(input),
    'display.current': () => display.current(),
    'display.rate': ({ stars }) => display.rate(stars),
    'display.status': () => display.status(),
    'display.pair': ({ led }, { session }) => display.pair(led, session.staff?.id ?? null),
    'display.test': () => display.test(),
  };
}
