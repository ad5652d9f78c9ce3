/**
 * One hook for every call to the host a screen makes on a tap: `pending` to disable the button, `failure`
 * for `<ErrorNote>` (the code turned into the cashier's words), `error` for those words as a string, and
 * `result`. A second tap while the first call is out sends nothing.
 *
 *   const save = useCommand('rules.save');
 *   <button disabled={save.pending} onClick={() => void save.run(input)}>
 *
 * `useAction` is the same for a task that makes more than one call (read, then write) or does something
 * after the call that must finish before the button frees.
 */
import { useRef, useState } from 'react';
import type { CommandInput, CommandName, CommandOutput } from '../../../electron/contract/index';
import { call, type PosFailure } from '../api/client';
import { describeFailure, useT } from '../i18n/use-t';
import { type CommandState, createCommandRunner } from './command-runner';

export interface Command<A extends unknown[], R> extends CommandState<R> {
  run(...args: A): Promise<R | undefined>;
  reset(): void;
  /** The refusal in the cashier's language, or '' when there is none. */
  error: string;
  /** Shows a refusal found outside the call (a form's own check), in the same place a host refusal shows. */
  fail(failure: PosFailure): void;
}

export function useAction<A extends unknown[], R>(task: (...args: A) => Promise<R>): Command<A, R> {
  const t = useT();
  // The latest task is called (it closes over the latest input), but the runner and its guard live as long
  // as the component.
  const latest = useRef(task);
  latest.current = task;
  const [state, setState] = useState<CommandState<R>>({ pending: false, failure: null, result: undefined });
  // Made once, so `run`, `reset` and `fail` keep their identity and may sit in an effect's dependencies.
  const stable = useRef<Pick<Command<A, R>, 'run' | 'reset' | 'fail'> | null>(null);
  if (stable.current === null) {
    const runner = createCommandRunner<A, R>((...args) => latest.current(...args), setState);
    stable.current = {
      run: runner.run,
      reset: runner.reset,
      fail: (failure) => setState((current) => ({ ...current, failure })),
    };
  }
  return {
    ...state,
    ...stable.current,
    error: state.failure === null ? '' : describeFailure(t, state.failure),
  };
}

export function useCommand<N extends CommandName>(name: N): Command<[CommandInput<N>], CommandOutput<N>> {
  return useAction((input: CommandInput<N>) => call(name, input));
}
