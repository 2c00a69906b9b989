/**
 * The crash hook of `TC_SYNC_TEST_KILL_AT=<point>[:<lines>]`, for tests: the run SIGKILLs itself at a
 * named point of the engine (src/sync/engine.ts, CRASH_POINTS), for `mid-output` and
 * `after-progress` once that many lines are written. Unset, there is no hook.
 */
import { CRASH_POINTS, type CrashHook, type CrashPoint } from './engine.js';

export const KILL_AT_VARIABLE = 'TC_SYNC_TEST_KILL_AT';

/** The hook the variable asks for, or undefined; throws on a value that names no point. */
export function crashHookFromEnv(value: string | undefined): CrashHook | undefined {
  if (value === undefined || value === '') return undefined;
  const [name = '', count] = value.split(':');
  if (!(CRASH_POINTS as readonly string[]).includes(name) || (count !== undefined && !/^\d+$/.test(count))) {
    throw new Error(
      `${KILL_AT_VARIABLE} must be one of ${CRASH_POINTS.join(', ')}, optionally with :<lines>; got ${value}`,
    );
  }
  const point = name as CrashPoint;
  const lines = count === undefined ? undefined : Number(count);
  return (at, written) => {
    if (at !== point) return;
    if (lines !== undefined && written < lines) return;
    process.kill(process.pid, 'SIGKILL');
  };
}
