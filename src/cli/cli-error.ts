import { inspect } from 'node:util';
import { redactText } from '../core/redact.js';
import {
  AbortError,
  ApiError,
  AuthenticationError,
  ConnectionError,
  IncompleteResultError,
  ProxyAuthError,
  RetryExhaustedError,
  ThreatConnectError,
} from '../index.js';

/**
 * An error the CLI reports as one line on stderr, `threatconnect <command>: <message>`, with no stack
 * trace, and exits with `exitCode` (decisions.md 4: 1 error, 2 usage).
 */
export class CliError extends Error {
  readonly command: string;
  readonly exitCode: number;

  constructor(command: string, message: string, exitCode = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.command = command;
    this.exitCode = exitCode;
  }
}

/** A run stopped by SIGINT or SIGTERM: no message, the interrupt's exit code (130 or 143). */
export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}

/** What the message of an SDK error needs to know about the run. */
export interface ErrorContext {
  /** The API base URL (and the proxy in between, if any), for connection failures. */
  readonly baseUrl?: string | undefined;
}

/** `GET https://…` of an error's (redacted) request, when it has one. */
function requestOf(error: ThreatConnectError): string {
  return error.request === undefined ? '' : ` (${error.request.method} ${error.request.url})`;
}

/**
 * One line for an error the SDK threw: what failed and why, in the user's terms. Connection failures
 * name the server, HTTP failures the status and the request; credentials refused say so.
 */
export function describeError(error: unknown, context: ErrorContext = {}): string {
  // Secrets a message shows by their form (`?access_token=…`, `TC-Token …`) are masked on the way out.
  return redactText(describeErrorText(error, context));
}

function describeErrorText(error: unknown, context: ErrorContext): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof IncompleteResultError && error.cause instanceof ThreatConnectError) {
    // A page after the first failed: its own failure, with where the listing stopped.
    const cause = error.cause;
    if (cause instanceof ApiError) return `HTTP ${cause.status}: ${error.message}${requestOf(cause)}`;
    if (cause instanceof ConnectionError || cause instanceof RetryExhaustedError) {
      return `cannot reach ${context.baseUrl ?? 'the server'}: ${error.message}`;
    }
  }
  if (error instanceof ProxyAuthError)
    return `the proxy refused its credentials (HTTP 407): ${error.message}`;
  if (error instanceof RetryExhaustedError || error instanceof ConnectionError) {
    const server = context.baseUrl === undefined ? 'the server' : context.baseUrl;
    return `cannot reach ${server}: ${error.message}`;
  }
  if (error instanceof AuthenticationError && error.status === 401) {
    return (
      `the server refused the credentials (HTTP 401: ${error.message}): check the access id and ` +
      `secret key, or the API token${requestOf(error)}`
    );
  }
  if (error instanceof ApiError) return `HTTP ${error.status}: ${error.message}${requestOf(error)}`;
  if (error instanceof AbortError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The detail `--debug` adds below the one line: class and code, the redacted request, the chain of
 * causes, and the stack.
 */
export function describeErrorDetail(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  let depth = 0;
  while (current !== undefined && current !== null && depth < 8) {
    const prefix = depth === 0 ? '' : 'caused by: ';
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      lines.push(
        `${prefix}${current.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${current.message}`,
      );
      if (current instanceof ApiError) {
        lines.push(`  status ${current.status}`);
        if (current.body !== '') lines.push(`  body ${current.body.slice(0, 2000)}`);
      }
      if (current instanceof ThreatConnectError && current.request !== undefined) {
        lines.push(`  request ${current.request.method} ${current.request.url}`);
        for (const [name, value] of Object.entries(current.request.headers)) {
          lines.push(`    ${name}: ${value}`);
        }
      }
      if (current instanceof RetryExhaustedError) {
        for (const attempt of current.attempts) {
          const outcome = attempt.status ?? attempt.error?.code ?? '?';
          lines.push(`  attempt ${attempt.attempt}: ${outcome} after a ${attempt.delayMs} ms wait`);
        }
      }
      const stack = current.stack?.split('\n').slice(1).join('\n');
      if (stack !== undefined && stack !== '') lines.push(stack);
      current = current.cause;
    } else {
      lines.push(`${prefix}${inspect(current)}`);
      current = undefined;
    }
    depth += 1;
  }
  return `${redactText(lines.join('\n'))}\n`;
}
