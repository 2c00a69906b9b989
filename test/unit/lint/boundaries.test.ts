/**
 * Module boundaries (conventions.md 2.1, issue 6 section 2): the project's eslint.config.js refuses each
 * crossing, at any depth, and accepts each folder's legitimate imports.
 *
 * The sources are linted in memory (`lintText`) as if they sat at the given paths, so no file is written
 * to the tree. The boundary rules need no type information, so the type-aware parser is switched off
 * with typescript-eslint's own `disableTypeChecked` (which also turns off the type-aware rules): a
 * virtual file needs no place in the TypeScript project, and one ESLint instance starts in a moment.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const root = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({
  cwd: root,
  overrideConfig: tseslint.configs.disableTypeChecked as Linter.Config,
});

const STATIC = '@typescript-eslint/no-restricted-imports';
const DYNAMIC = 'no-restricted-syntax';
const BOUNDARY_RULES = new Set([STATIC, DYNAMIC]);

/** `../` repeated n times. */
const up = (n: number): string => '../'.repeat(n);

/** The boundary messages for `code` linted as the file at `file` (relative to the repository root). */
async function boundaryMessages(file: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: path.join(root, file) });
  assert.ok(result, file);
  const fatal = result.messages.filter((m) => m.fatal === true || m.ruleId === null);
  assert.deepEqual(fatal, [], `${file}: not linted`);
  return result.messages.filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId));
}

type Case = [file: string, code: string];

/** Each case holds one crossing, refused by `rule`. */
function refuses(rule: string, cases: Case[]): void {
  for (const [file, code] of cases) {
    it(`refuses in ${file}: ${code}`, async () => {
      const messages = await boundaryMessages(file, code);
      assert.deepEqual(
        messages.map((m) => m.ruleId),
        [rule],
        messages.map((m) => m.message).join('\n'),
      );
    });
  }
}

/** Each case holds only legitimate imports. */
function accepts(cases: Case[]): void {
  for (const [file, code] of cases) {
    it(`accepts in ${file}: ${code.replaceAll('\n', ' ')}`, async () => {
      const messages = await boundaryMessages(file, code);
      assert.deepEqual(
        messages.map((m) => `${m.ruleId ?? ''}: ${m.message}`),
        [],
      );
    });
  }
}

describe('boundaries: the sandbox imports nothing from the client side', () => {
  refuses(STATIC, [
    ['src/sandbox/handlers/probe.ts', `import { ConfigError } from '../../core/errors.js';`],
    ['src/sandbox/probe.ts', `import { ConfigError } from '../core/errors.js';`],
    ['src/sandbox/probe.ts', `import '../client.js';`],
    ['src/sandbox/sample/probe.ts', `export * from '../../index.js';`],
    ['src/sandbox/probe.ts', `import type { SdkLogger } from '../logging/logger.js';`],
    ['src/sandbox/handlers/probe.ts', `export { signHmac } from '../../auth/hmac.js';`],
    ['src/sandbox/probe.ts', `import '../pipeline/compose.js';`],
    ['src/sandbox/probe.ts', `import '../../src/core/errors.js';`],
    ['src/sandbox/probe.ts', `import { ThreatConnect } from 'threatconnect';`],
    // Deeper than the config's exact-depth blocks.
    [`src/sandbox/a/b/c/d/e/f/probe.ts`, `import '${up(7)}core/errors.js';`],
  ]);
  refuses(DYNAMIC, [
    ['src/sandbox/handlers/probe.ts', `export const load = () => import('../../http/transport.js');`],
  ]);
  accepts([
    [
      'src/sandbox/handlers/probe.ts',
      [
        `import { json } from '../reply.js';`,
        `import { requireTask } from './items.js';`,
        `export const load = () => import('../index.js');`,
      ].join('\n'),
    ],
    [
      'src/sandbox/probe.ts',
      [
        `import { json } from './reply.js';`,
        `import { createServer } from 'node:http';`,
        `import type { Database } from 'better-sqlite3';`,
      ].join('\n'),
    ],
    // A sandbox folder named like a client folder is the sandbox's own.
    ['src/sandbox/handlers/probe.ts', `import '../core/x.js';\nimport '../index.js';`],
    [`src/sandbox/a/b/c/d/e/f/probe.ts`, `import '${up(5)}reply.js';`],
  ]);
});

describe('boundaries: client code imports no sandbox code, except the CLI lazily', () => {
  refuses(STATIC, [
    ['src/probe.ts', `import { startSandbox } from './sandbox/index.js';`],
    ['src/resources/indicators/probe.ts', `import { startSandbox } from '../../sandbox/index.js';`],
    ['src/report/probe.ts', `import type { FaultConfig } from '../sandbox/faults.js';`],
    ['src/http/probe.ts', `import 'threatconnect/sandbox';`],
    ['src/cli/probe.ts', `import { startSandbox } from '../sandbox/index.js';`],
    ['src/cli/probe.ts', `import { type FaultConfig, parseFaultConfig } from '../sandbox/faults.js';`],
    ['src/cli/commands/probe.ts', `export { sampleData } from '../../sandbox/index.js';`],
  ]);
  refuses(DYNAMIC, [
    ['src/report/probe.ts', `export const load = () => import('../sandbox/index.js');`],
    ['src/probe.ts', `export const load = () => import('threatconnect/sandbox');`],
  ]);
  accepts([
    [
      'src/cli/probe.ts',
      [
        `import type { FaultConfig } from '../sandbox/index.js';`,
        `export const load = () => import('../sandbox/index.js');`,
      ].join('\n'),
    ],
    ['src/cli/commands/probe.ts', `export const load = () => import('threatconnect/sandbox');`],
    [
      'src/cli/probe.ts',
      `import { ThreatConnect } from '../index.js';\nimport { Command } from 'commander';`,
    ],
    ['src/probe.ts', `import { Report } from './report/report.js';\nimport './core/errors.js';`],
  ]);
});

describe('boundaries: src/core imports no other src folder', () => {
  refuses(STATIC, [
    ['src/core/probe.ts', `import { createAuthenticator } from '../auth/index.js';`],
    ['src/core/sub/probe.ts', `import type { Report } from '../../report/report.js';`],
    ['src/core/probe.ts', `import '../client.js';`],
    ['src/core/probe.ts', `import '../index.js';`],
    ['src/core/probe.ts', `import '../pipeline/compose.js';`],
    ['src/core/probe.ts', `import '../widgets/new-folder.js';`],
    ['src/core/probe.ts', `import 'threatconnect';`],
    // What core/pipeline.ts once did, before the pipeline moved to src/pipeline.
    ['src/core/pipeline.ts', `import type { Logger } from '../logging/logger.js';`],
    ['src/core/pipeline.ts', `import { request } from 'undici';`],
  ]);
  refuses(DYNAMIC, [['src/core/probe.ts', `export const load = () => import('../logging/logger.js');`]]);
  accepts([
    [
      'src/core/probe.ts',
      [
        `import { ConfigError } from './errors.js';`,
        `import { readFileSync } from 'node:fs';`,
        `import { isIP } from 'node:net';`,
      ].join('\n'),
    ],
    ['src/core/sub/probe.ts', `import { ConfigError } from '../errors.js';`],
  ]);
});

describe('boundaries: src/pipeline composes core, auth, report, logging and http types', () => {
  refuses(STATIC, [
    ['src/pipeline/probe.ts', `import { HttpTransport } from '../http/transport.js';`],
    ['src/pipeline/probe.ts', `import '../resources/indicators.js';`],
    ['src/pipeline/probe.ts', `import '../client.js';`],
    ['src/pipeline/probe.ts', `import '../sandbox/index.js';`],
    ['src/pipeline/steps/probe.ts', `import '../../cli/main.js';`],
  ]);
  accepts([
    [
      'src/pipeline/probe.ts',
      [
        `import { decideRetry } from '../core/retry.js';`,
        `import { createAuthenticator } from '../auth/index.js';`,
        `import type { Report } from '../report/report.js';`,
        `import type { SdkLogger } from '../logging/logger.js';`,
        `import type { HttpTransport } from '../http/transport.js';`,
        `import { compose } from './compose.js';`,
      ].join('\n'),
    ],
    [
      'src/pipeline/steps/probe.ts',
      `import { compose } from '../compose.js';\nimport '../../core/errors.js';`,
    ],
  ]);
});

describe('boundaries: formats, filters and auth stay pure', () => {
  refuses(STATIC, [
    ['src/formats/probe.ts', `import { writeFileSync } from 'node:fs';`],
    ['src/filters/probe.ts', `import { readFile } from 'fs/promises';`],
    ['src/auth/probe.ts', `import { connect } from 'node:net';`],
    ['src/auth/probe.ts', `import { request } from 'node:https';`],
    ['src/formats/cef/probe.ts', `import { spawn } from 'node:child_process';`],
    ['src/filters/probe.ts', `import { createSocket } from 'node:dgram';`],
    ['src/formats/probe.ts', `import { connect } from 'node:tls';`],
    ['src/filters/probe.ts', `import { request } from 'undici';`],
    ['src/formats/probe.ts', `import pino from 'pino';`],
    ['src/auth/probe.ts', `import { HttpTransport } from '../http/transport.js';`],
    ['src/formats/cef/probe.ts', `import { ThreatConnect } from '../../client.js';`],
    ['src/filters/probe.ts', `import '../sandbox/index.js';`],
    ['src/auth/probe.ts', `import '../logging/logger.js';`],
    ['src/formats/probe.ts', `import '../resources/container.js';`],
    ['src/core/retry.ts', `import { readFileSync } from 'node:fs';`],
  ]);
  refuses(DYNAMIC, [['src/formats/probe.ts', `export const load = () => import('node:fs/promises');`]]);
  accepts([
    [
      'src/auth/probe.ts',
      [
        `import { createHmac } from 'node:crypto';`,
        `import { inspect } from 'node:util';`,
        `import { ConfigError } from '../core/errors.js';`,
        `import type { ResolvedAuth } from '../core/config.js';`,
        `import { signHmac } from './hmac.js';`,
      ].join('\n'),
    ],
    ['src/formats/cef/probe.ts', `import '../../filters/filter.js';\nimport { escape } from '../escape.js';`],
    ['src/filters/probe.ts', `import { FilterOperator } from '../core/enums.js';`],
  ]);
});

describe('boundaries: only the transport imports undici', () => {
  refuses(STATIC, [
    ['src/probe.ts', `import { request } from 'undici';`],
    ['src/resources/probe.ts', `import { request } from 'undici';`],
    ['src/core/probe.ts', `import type { Dispatcher } from 'undici';`],
    ['src/logging/probe.ts', `import { Agent } from 'undici';`],
    ['src/cli/probe.ts', `import { request } from 'undici';`],
    ['src/sandbox/probe.ts', `import { Pool } from 'undici';`],
  ]);
  refuses(DYNAMIC, [['src/report/probe.ts', `export const load = () => import('undici');`]]);
  accepts([
    ['src/http/probe.ts', `import { Agent, ProxyAgent, request } from 'undici';`],
    ['src/http/proxy/probe.ts', `import type { Dispatcher } from 'undici';`],
  ]);
});

describe('boundaries: only src/logging imports pino', () => {
  refuses(STATIC, [
    ['src/http/probe.ts', `import pino from 'pino';`],
    ['src/cli/probe.ts', `import 'pino-pretty';`],
    ['src/report/sub/probe.ts', `import type { Logger } from 'pino';`],
    ['src/sandbox/probe.ts', `import pino from 'pino';`],
  ]);
  accepts([['src/logging/probe.ts', `import pino from 'pino';\nimport pretty from 'pino-pretty';`]]);
});
