// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------------
// Module boundaries (conventions.md 2.1; docs/decisions.md "Structure").
//
// An import names its target relative to the importing file, so whether `../../core/errors.js` leaves
// the sandbox depends on how deep the importing file sits. The boundary blocks below are therefore
// generated per depth: a file N folders below `src/` reaches `src/` through exactly N `../`, and each
// block refuses what lies behind that prefix (or behind the out-and-back `../../src/` form). A file
// deeper than DEPTHS folders inside its zone is matched with "N or more" `../`, which can only refuse
// too much, never too little. So the rules hold at any depth, and a folder's own imports (`./x.js`,
// `../x.js` from its sub-folders) are never refused.
//
// Every boundary is one `@typescript-eslint/no-restricted-imports` regex pattern (the base rule plus
// `allowTypeImports`), and the same pattern as a `no-restricted-syntax` selector on `import()`, so a
// dynamic import cannot cross a boundary either. The one exception is the CLI's lazy `import()` of the
// sandbox. Exactly one block applies to each file under src (zones are disjoint; a later block replaces
// a rule's options, it does not merge them): `npx eslint --print-config src/x/y.ts` shows its rules.
// test/unit/lint/boundaries.test.ts checks each rule both ways.
// ---------------------------------------------------------------------------------------------------

/** Exact-depth blocks per zone; deeper files get the open-ended block. */
const DEPTHS = 5;

/** Node builtins that do I/O (network, files, processes, threads, terminals), with their sub-paths. */
const IO_BUILTINS = [
  'child_process',
  'cluster',
  'dgram',
  'dns',
  'fs',
  'http',
  'http2',
  'https',
  'net',
  'readline',
  'tls',
  'worker_threads',
];

/**
 * @typedef {object} Restriction
 * @property {(levels: number, open: boolean) => string} regex the refused specifiers, for a file
 *   `levels` folders below src (`open`: that many or more)
 * @property {string} message why, shown with the lint error
 * @property {boolean} [allowTypeImports] `import type` is accepted (erased from the emitted JS)
 * @property {boolean} [allowDynamic] `import()` is accepted (loaded lazily, on demand)
 */

/**
 * The prefix through which a file `levels` folders below src reaches an entry of src.
 * @param {number} levels
 * @param {boolean} open
 */
function srcPrefix(levels, open) {
  const up = levels === 0 ? '\\./' : `(?:\\.\\./){${levels}${open ? ',' : ''}}(?!\\.\\./)`;
  const outAndBack = `(?:\\.\\./){${levels + 1}${open ? ',' : ''}}src/`;
  return `(?:${up}|${outAndBack})`;
}

/**
 * Refuses the given entries of src: folders (`core`) or root modules (`client` for src/client.ts).
 * @param {string[]} entries
 * @param {string} message
 * @param {Partial<Restriction>} [options]
 * @returns {Restriction}
 */
function srcEntries(entries, message, options = {}) {
  return {
    regex: (levels, open) => `^${srcPrefix(levels, open)}(?:${entries.join('|')})(?:/|\\.js$|$)`,
    message,
    ...options,
  };
}

/**
 * Refuses every entry of src except the given folders (new folders included), root modules too.
 * @param {string[]} allowed
 * @param {string} message
 * @returns {Restriction}
 */
function srcExcept(allowed, message) {
  return { regex: (levels, open) => `^${srcPrefix(levels, open)}(?!(?:${allowed.join('|')})/)`, message };
}

/**
 * Refuses bare specifiers (packages, builtins) matching `regex`, whatever the depth.
 * @param {string} regex
 * @param {string} message
 * @param {Partial<Restriction>} [options]
 * @returns {Restriction}
 */
function bare(regex, message, options = {}) {
  return { regex: () => regex, message, ...options };
}

const UNDICI = bare(
  '^undici(?:/|$)',
  'Only the transport (src/http) imports undici; the rest of the SDK goes through the Transport interface.',
);
const PINO = bare(
  '^pino(?:-[a-z-]+)?(?:/|$)',
  'Only src/logging imports pino and pino-pretty; everything else receives a Logger.',
);
const IO = bare(
  `^(?:node:)?(?:${IO_BUILTINS.join('|')})(?:/|$)`,
  'This folder is pure: no file, network, process or terminal I/O.',
);
const SANDBOX = srcEntries(
  ['sandbox'],
  'Client code does not import the sandbox, an independent oracle (only the CLI loads it, with import()).',
);
const SANDBOX_PACKAGE = bare(
  '^threatconnect/sandbox(?:/|$)',
  'Client code does not import the sandbox, an independent oracle (only the CLI loads it, with import()).',
);
const SELF_PACKAGE = bare(
  '^threatconnect(?:/|$)',
  'Import SDK modules by relative path; the package entries load the built dist/ copy.',
);

const PURE_MESSAGE =
  'formats/, filters/, auth/ are pure: they import only src/core and each other (no client, http, sandbox).';

/** Restrictions per zone; zones not listed here (report, resources, new folders) get CLIENT_SIDE. */
const CLIENT_SIDE = [SANDBOX, SANDBOX_PACKAGE, UNDICI, PINO];
const CORE = [
  srcExcept(['core'], 'src/core imports no other src folder: it is the bottom layer everyone else uses.'),
  SELF_PACKAGE,
  UNDICI,
  PINO,
];
const PURE = (/** @type {string} */ self) => [
  srcExcept([...new Set([self, 'core', 'auth', 'filters', 'formats'])], PURE_MESSAGE),
  SELF_PACKAGE,
  IO,
  UNDICI,
  PINO,
];
const ZONES = {
  sandbox: [
    srcExcept(['sandbox'], 'The sandbox is an independent oracle: it imports nothing from the client side.'),
    bare('^threatconnect$', 'The sandbox is an independent oracle: it imports nothing from the client side.'),
    UNDICI,
    PINO,
  ],
  core: CORE,
  pipeline: [
    srcExcept(
      ['pipeline', 'core', 'auth', 'report', 'logging', 'http'],
      'src/pipeline composes the request pipeline from core, auth, report, logging and http types only.',
    ),
    srcEntries(['http'], 'src/pipeline uses only the types of src/http; the transport is injected.', {
      allowTypeImports: true,
    }),
    SELF_PACKAGE,
    UNDICI,
    PINO,
  ],
  http: [SANDBOX, SANDBOX_PACKAGE, PINO],
  logging: [SANDBOX, SANDBOX_PACKAGE, UNDICI],
  auth: PURE('auth'),
  filters: PURE('filters'),
  formats: PURE('formats'),
  cli: [
    { ...SANDBOX, allowTypeImports: true, allowDynamic: true },
    { ...SANDBOX_PACKAGE, allowTypeImports: true, allowDynamic: true },
    UNDICI,
    PINO,
  ],
};

/**
 * The two rules for a file `levels` folders below src.
 * @param {Restriction[]} restrictions
 * @param {number} levels
 * @param {boolean} [open]
 */
function boundaryRules(restrictions, levels, open = false) {
  const patterns = restrictions.map((r) => ({
    regex: r.regex(levels, open),
    message: r.message,
    ...(r.allowTypeImports === true ? { allowTypeImports: true } : {}),
  }));
  const dynamic = restrictions
    .filter((r) => r.allowDynamic !== true)
    .map((r) => ({
      selector: `ImportExpression[source.value=/${r.regex(levels, open).replaceAll('/', '\\/')}/i]`,
      message: r.message,
    }));
  return {
    'no-restricted-imports': 'off',
    '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
    'no-restricted-syntax': ['error', ...dynamic],
  };
}

/**
 * Blocks for every file under `root` (`src/core`, or `src/*` for any folder), one per depth.
 * @param {string} root
 * @param {Restriction[]} restrictions
 */
function zoneBlocks(root, restrictions) {
  const blocks = [];
  for (let depth = 0; depth <= DEPTHS; depth += 1) {
    const open = depth === DEPTHS;
    blocks.push({
      name: `boundaries/${root} (depth ${depth}${open ? '+' : ''})`,
      files: [`${root}/${'*/'.repeat(depth)}${open ? '**/*' : '*'}`],
      rules: boundaryRules(restrictions, depth + 1, open),
    });
  }
  return blocks;
}

const boundaries = [
  // Root modules (src/client.ts, src/index.ts) and any folder without a zone of its own.
  { name: 'boundaries/src (root files)', files: ['src/*'], rules: boundaryRules(CLIENT_SIDE, 0) },
  ...zoneBlocks('src/*', CLIENT_SIDE),
  ...Object.entries(ZONES).flatMap(([folder, restrictions]) => zoneBlocks(`src/${folder}`, restrictions)),
  {
    // conventions.md 2.1: "core/retry.ts [is] pure".
    name: 'boundaries/src/core/retry.ts (pure)',
    files: ['src/core/retry.ts'],
    rules: boundaryRules([...CORE, IO], 1),
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'docs-api/**',
      'scripts/**',
      'bench/**/*.mjs',
      'eslint.config.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
    },
  },
  ...boundaries,
  {
    // Sandbox handlers share what they need through handlers/shared.ts and never import each other,
    // so the handler modules cannot form an import cycle. (The boundary rules above use the
    // typescript-eslint rule; this is the base rule, so both apply.)
    files: ['src/sandbox/handlers/**'],
    ignores: ['src/sandbox/handlers/shared.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\./(?!shared\\.js$)', message: 'Import shared handler code from ./shared.js.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
