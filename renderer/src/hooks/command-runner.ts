/**
 * The state every button that calls the host goes through: idle, pending while the call is out, then the
 * result or the refusal. Kept apart from React so its rules (one call at a time, a new call clears the last
 * refusal) read and test as plain code; `useCommand` only mirrors it into a component's state.
 */
import { asFailure, type PosFailure } from '../api/client';

export interface CommandState<R> {
  pending: boolean;
  failure: PosFailure | null;
  /** The last call's value; kept through a later refusal so a screen can still show what it had. */
  result: R | undefined;
}

export interface CommandRunner<A extends unknown[], R> {
  readonly state: CommandState<R>;
  /** Resolves to the value, or undefined when refused or when a call was already out (a second tap). */
  run(...args: A): Promise<R | undefined>;
  /** Forgets the refusal and the result (a dialog reopened starts clean). */
  reset(): void;
}

export function createCommandRunner<A extends unknown[], R>(
  task: (...args: A) => Promise<R>,
  onChange: (state: CommandState<R>) => void,
): CommandRunner<A, R> {
  let state: CommandState<R> = { pending: false, failure: null, result: undefined };
  const set = (next: Partial<CommandState<R>>) => {
    state = { ...state, ...next };
    onChange(state);
  };
  return {
    get state() {
      return state;
    },
    async run(...args: A) {
      // The guard is this closure's own flag, not React state, so two taps in one frame still send once.
      if (state.pending) return undefined;
      set({ pending: true, failure: null });
      try {
        const value = await task(...args);
        set({ pending: false, result: value });
        return value;
      } catch (error) {
        set({ pending: false, failure: asFailure(error) });
        return undefined;
      }
    },
    reset() {
      if (!state.pending) set({ pending: false, failure: null, result: undefined });
    },
  };
}
