/**
 * Stops a long-running command when the process that started it ends.
 *
 * `npx threatconnect sandbox &` runs the sandbox as a grandchild of the shell (npm, then `sh -c`);
 * `kill $!` stops npm, which stops the `sh` between them, and the sandbox would keep listening as an
 * orphan. The parent's pid is polled: once it is gone, or this process has been re-parented (to init
 * or a subreaper), `onGone` runs. Polling needs no cooperation from the parent, so it also covers a
 * parent killed with SIGKILL.
 */
export interface ParentWatch {
  stop(): void;
}

/** Starts watching; returns a no-op watch when there is no parent worth watching (pid 0 or 1). */
export function watchParent(onGone: (parentPid: number) => void, intervalMs = 500): ParentWatch {
  const parent = process.ppid;
  if (parent <= 1) return { stop: () => undefined };
  const timer = setInterval(() => {
    if (!parentAlive(parent)) {
      clearInterval(timer);
      onGone(parent);
    }
  }, intervalMs);
  // The watch alone must not keep the process alive.
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
    },
  };
}

function parentAlive(parent: number): boolean {
  // process.ppid is read from the OS on each access: a change means the parent ended.
  if (process.ppid !== parent) return false;
  try {
    process.kill(parent, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else, so it is still there.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
