/**
 * `threatconnect sandbox --json` in a child process, for tests that need the server apart from the
 * client (so that socket timing is that of two processes) or that kill it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface SandboxProcess {
  baseUrl: string;
  accessId: string;
  secretKey: string;
  defaultOrg: string;
  child: ChildProcess;
  stderr: () => string;
  /** SIGTERM (a clean close) or SIGKILL; resolves once the process has exited. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/** Starts the CLI sandbox with `args` (besides `--json`, and no generated indicators unless `args` asks) and resolves once it listens. */
export async function startSandboxProcess(args: string[] = []): Promise<SandboxProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'sandbox',
      '--json',
      // No generated indicators unless the caller asks for some (a one-value flag is given once).
      ...(args.includes('--seed-indicators') ? [] : ['--seed-indicators', '0']),
      ...args,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    exited.then(() => {
      throw new Error(`the sandbox process exited before listening: ${stderr}`);
    }),
  ]);
  lines.close();
  const details = JSON.parse(first) as {
    baseUrl: string;
    accessId: string;
    secretKey: string;
    defaultOrg: string;
  };
  return {
    baseUrl: details.baseUrl,
    accessId: details.accessId,
    secretKey: details.secretKey,
    defaultOrg: details.defaultOrg,
    child,
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
