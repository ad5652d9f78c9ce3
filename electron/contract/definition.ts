/**
 * What defining a command takes. Its own module, so the contract's parts (members, close, devices, …) and the
 * list that gathers them (`commands.ts`) both depend on it and never on each other in a circle.
 */
import type { z } from 'zod';
import type { Access } from './permissions';

export interface CommandDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: Access;
  /** One line for the API reference and for log lines. */
  summary: string;
}
