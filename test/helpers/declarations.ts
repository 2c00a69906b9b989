/**
 * Emits the published declarations (`.d.ts`) of source files as `npm run build` does, in memory:
 * with tsconfig.build.json's options (its `stripInternal` included), for tests of what users see.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * A program over the sources of `entries` (absolute paths), as an editor of a user's code sees the
 * package: strict, NodeNext modules, no emit. For tests that walk the public API's declarations.
 */
export function createSourceProgram(entries: readonly string[]): ts.Program {
  return ts.createProgram(entries, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
}

/** The declarations of `files` (paths from the repository root), keyed by their path under dist/. */
export function emitDeclarations(files: readonly string[]): {
  options: ts.CompilerOptions;
  dts: Map<string, string>;
} {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  assert.ok(parsed, 'tsconfig.build.json parses');
  const options = parsed.options;
  const outDir = options.outDir ?? path.join(root, 'dist');
  const program = ts.createProgram({
    rootNames: [path.join(root, 'src/index.ts')],
    options: { ...options, declaration: true, emitDeclarationOnly: true },
  });
  const dts = new Map<string, string>();
  for (const file of files) {
    const source = program.getSourceFile(path.join(root, file));
    assert.ok(source, `${file} is part of the program`);
    const result = program.emit(
      source,
      (name, text) => dts.set(path.relative(outDir, name).split(path.sep).join('/'), text),
      undefined,
      true,
    );
    assert.equal(result.emitSkipped, false);
    assert.deepEqual(result.diagnostics, []);
  }
  return { options, dts };
}
