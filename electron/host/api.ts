/**
 * The host's API boundary, shared by both transports: look the command up, check who is calling, validate the
 * input, run the handler, and reduce any failure to `{ code, message, details }`. Causes and stack traces go to
 * the log only.
 */
import type { z } from 'zod';
import { CodedError } from '../../common/coded-error';
import {
  type Access,
  type ApiFailure,
  type CommandName,
  type CommandOutput,
  type Commands,
  commands,
  isCommandName,
  type Reply,
  roleHas,
} from '../contract';
import { ApiError } from '../errors';
import type { Logger } from './logger';
import type { Session, StaffState } from './session';

export interface CallContext {
  session: Session;
}

export type Handler<N extends CommandName> = (
  input: z.output<Commands[N]['input']>,
  context: CallContext,
) => CommandOutput<N> | Promise<CommandOutput<N>>;

export type Handlers = { [N in CommandName]: Handler<N> };

export interface Api {
  call(session: Session, command: unknown, input: unknown): Promise<Reply<unknown>>;
}

export interface ApiOptions {
  /**
   * The idle lock: after this long without a command, a session is logged out and its next protected command
   * is refused with SESSION_EXPIRED (null: never). Read on every call, so a changed setting applies at once.
   */
  idleLockMs?: () => number | null;
  /**
   * The logged-in staff member's current role and state, asked on every call (one primary-key lookup), so a
   * deactivation ends the session and a role change applies to the very next command.
   */
  staffState?: (staffId: string) => StaffState | undefined;
  now?: () => number;
}

/** Commands a session ended by a deactivation may still run: logging in again (as someone) or out. */
const AFTER_DEACTIVATION = new Set<string>(['session.login', 'session.logout']);

export function createApi(handlers: Handlers, logger: Logger, options: ApiOptions = {}): Api {
  const clock = options.now ?? Date.now;
  async function call(session: Session, command: unknown, rawInput: unknown): Promise<Reply<unknown>> {
    const started = performance.now();
    try {
      if (!isCommandName(command)) {
        throw new ApiError('COMMAND_UNKNOWN', 'No such command', {
          details: { command: typeof command === 'string' ? command.slice(0, 64) : typeof command },
        });
      }
      const definition = commands[command];
      followStaff(session, command, definition.access);
      const at = clock();
      const idleLimit = options.idleLockMs?.() ?? null;
      if (session.staff !== null && idleLimit !== null && session.idleFor(at) > idleLimit) {
        const staffNo = session.staff.staffNo;
        session.logOut();
        logger.info({ session: session.id, staff: staffNo }, 'session locked after idle');
        if (definition.access !== 'public') {
          throw new ApiError('SESSION_EXPIRED', 'The counter locked itself after being idle; log in again', {
            details: { idleLimitMs: idleLimit },
          });
        }
      }
      // Only real work counts as activity: the screen's own polling (public commands) never keeps a session open.
      if (session.staff !== null && definition.access !== 'public') session.touch(at);
      authorize(session, command, definition.access);
      const parsed = definition.input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        throw new ApiError('INPUT_INVALID', `Invalid input for ${command}`, {
          details: { issues: issuesOf(parsed.error) },
        });
      }
      const handler = handlers[command] as Handler<CommandName> | undefined;
      // A command the contract names but this host was composed without: a clear refusal, not a crash.
      if (typeof handler !== 'function') {
        throw new ApiError('COMMAND_UNAVAILABLE', `This terminal cannot run ${command}`, {
          details: { command },
        });
      }
      const value = await handler(parsed.data as never, { session });
      logger.debug({ command, session: session.id, ms: performance.now() - started }, 'command');
      return { ok: true, value };
    } catch (error) {
      const failure = toFailure(error);
      const log = { command, session: session.id, staff: session.staff?.staffNo, code: failure.code };
      if (failure.code === 'HOST_FAILED') logger.error({ ...log, err: error }, 'command failed');
      else logger.info(log, 'command refused');
      return { ok: false, error: failure };
    }
  }

  /**
   * Ends a deactivated staff member's session and follows a role change. A protected command, and the screen's
   * `session.current` poll, are refused with STAFF_DEACTIVATED until someone logs in, so the screen returns to
   * the login saying why; other public commands (terminal facts for the login screen) run as for nobody.
   */
  function followStaff(session: Session, command: CommandName, access: Access): void {
    const staff = session.staff;
    if (staff !== null && options.staffState !== undefined) {
      const outcome = session.followStaff(options.staffState(staff.id));
      if (outcome === 'ended')
        logger.info({ session: session.id, staff: staff.staffNo }, 'session ended: deactivated');
      if (outcome === 'changed') {
        logger.info(
          { session: session.id, staff: staff.staffNo, role: session.role },
          'session follows a role change',
        );
      }
    }
    const deactivated = session.endedByDeactivation;
    if (deactivated === null || AFTER_DEACTIVATION.has(command)) return;
    if (access !== 'public' || command === 'session.current') {
      throw new ApiError('STAFF_DEACTIVATED', 'This login has been deactivated; the session has ended', {
        details: { staffId: deactivated },
      });
    }
  }

  return { call };
}

function authorize(session: Session, command: CommandName, access: (typeof commands)[CommandName]['access']) {
  if (access === 'public') return;
  const role = session.role;
  if (role === null) throw new ApiError('STAFF_NOT_LOGGED_IN', 'Log in first', { details: { command } });
  if (!roleHas(role, access)) {
    throw new ApiError('COMMAND_FORBIDDEN', `The ${role} role may not ${command}`, {
      details: { command, role, permission: access },
    });
  }
}

/** Issue texts are capped: an unknown-keys issue lists every key, and a payload may carry a hundred thousand. */
const ISSUE_TEXT_LIMIT = 200;

function capped(text: string): string {
  return text.length <= ISSUE_TEXT_LIMIT ? text : `${text.slice(0, ISSUE_TEXT_LIMIT - 1)}…`;
}

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 10).map((issue) => ({
    path: capped(issue.path.map(String).join('.')),
    message: capped(issue.message),
  }));
}

export function toFailure(error: unknown): ApiFailure {
  // Every layer's refusals derive from CodedError and carry words for a person; anything else is a fault.
  if (error instanceof CodedError) {
    const failure: ApiFailure = { code: error.code, message: error.message };
    if (error.details !== undefined) failure.details = error.details;
    return failure;
  }
  return { code: 'HOST_FAILED', message: 'The terminal hit an unexpected problem; it has been logged' };
}
