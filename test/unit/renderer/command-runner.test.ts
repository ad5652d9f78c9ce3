import { describe, expect, it } from 'vitest';
import { PosFailure } from '../../../renderer/src/api/client';
import { type CommandState, createCommandRunner } from '../../../renderer/src/hooks/command-runner';

/** A task whose promise the test settles by hand, so each state between tap and answer can be looked at. */
function handSettled<R>() {
  const calls: { input: string; resolve: (value: R) => void; reject: (error: unknown) => void }[] = [];
  const task = (input: string) =>
    new Promise<R>((resolve, reject) => {
      calls.push({ input, resolve, reject });
    });
  return { calls, task };
}

function recorded<R>() {
  const states: CommandState<R>[] = [];
  return { states, onChange: (state: CommandState<R>) => states.push(state) };
}

describe('a command on a button', () => {
  it('is pending while the call is out, then holds the result', async () => {
    const { calls, task } = handSettled<number>();
    const { states, onChange } = recorded<number>();
    const runner = createCommandRunner(task, onChange);
    expect(runner.state).toEqual({ pending: false, failure: null, result: undefined });
    const answer = runner.run('top up');
    expect(runner.state.pending).toBe(true);
    calls[0]?.resolve(42);
    await expect(answer).resolves.toBe(42);
    expect(runner.state).toEqual({ pending: false, failure: null, result: 42 });
    expect(states.map((state) => state.pending)).toEqual([true, false]);
  });

  it('sends once when tapped twice before the answer', async () => {
    const { calls, task } = handSettled<number>();
    const runner = createCommandRunner(task, () => {});
    const first = runner.run('first');
    const second = runner.run('second');
    await expect(second).resolves.toBeUndefined();
    expect(calls.map((call) => call.input)).toEqual(['first']);
    calls[0]?.resolve(1);
    await first;
    // Once answered, the button works again.
    void runner.run('third');
    expect(calls.map((call) => call.input)).toEqual(['first', 'third']);
  });

  it('keeps the host refusal with its code, and a new call clears it', async () => {
    const { calls, task } = handSettled<number>();
    const runner = createCommandRunner(task, () => {});
    const refused = runner.run('spend');
    calls[0]?.reject(new PosFailure({ code: 'CARD_FROZEN', message: 'frozen' }));
    await expect(refused).resolves.toBeUndefined();
    expect(runner.state.pending).toBe(false);
    expect(runner.state.failure?.code).toBe('CARD_FROZEN');
    void runner.run('again');
    expect(runner.state.failure).toBeNull();
  });

  it('turns anything else thrown into a CLIENT_ERROR refusal rather than losing it', async () => {
    const runner = createCommandRunner(
      async () => {
        throw new TypeError('socket closed');
      },
      () => {},
    );
    await runner.run();
    expect(runner.state.failure?.code).toBe('CLIENT_ERROR');
    expect(runner.state.failure?.message).toBe('socket closed');
  });

  it('keeps the last result through a later refusal, and reset forgets both', async () => {
    let fail = false;
    const runner = createCommandRunner(
      async () => {
        if (fail) throw new PosFailure({ code: 'PRINTER_PAPER_OUT', message: 'paper' });
        return 'receipt';
      },
      () => {},
    );
    await runner.run();
    fail = true;
    await runner.run();
    expect(runner.state).toMatchObject({ result: 'receipt', failure: { code: 'PRINTER_PAPER_OUT' } });
    runner.reset();
    expect(runner.state).toEqual({ pending: false, failure: null, result: undefined });
  });
});
