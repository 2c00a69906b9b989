/**
 * API review: a class the package exports as a value whose constructor is the SDK's own business
 * (`Indicator`, `Group`, `Victim`, `Task`, `Owner`, `Bulk`, `SyslogSink`) publishes a private
 * constructor, so that `new Indicator()` does not compile (docs/decisions.md, "Objects the SDK makes
 * have a private constructor"). The build strips `@internal` members, and a constructor stripped from
 * a declaration leaves the class with an implicit public one: `new Indicator()` type-checked and made
 * an object with no client, which failed on first use.
 *
 * Checked in the sources, for every class each entry exports as a value: the first constructor up its
 * chain of classes is not `@internal` (it is public, or private), and in the declarations the build
 * emits, each class above declares `private constructor();` and nothing else of how it is made. (A
 * `@ts-expect-error new Indicator()` in this file could not fail: the source constructors take
 * arguments, so a call without them is an error whether they are private or not.)
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { createSourceProgram, emitDeclarations } from '../../helpers/declarations.js';

const root = path.resolve(import.meta.dirname, '../../..');
const ENTRIES = ['src/index.ts', 'src/sandbox/index.ts'].map((f) => path.join(root, f));

/** The classes users get from the SDK and never construct, with the module that declares each. */
const SDK_MADE = {
  Bulk: 'bulk/bulk',
  Group: 'resources/group',
  Indicator: 'resources/indicator',
  Owner: 'resources/owner',
  SyslogSink: 'delivery/sink',
  Task: 'resources/task',
  Victim: 'resources/victim',
} as const;

interface FirstConstructor {
  readonly owner: string;
  readonly internal: boolean;
  readonly private: boolean;
}

/** The first constructor declared up the chain of `declaration`'s classes, within src/. */
function firstConstructor(
  checker: ts.TypeChecker,
  declaration: ts.ClassDeclaration,
): FirstConstructor | undefined {
  for (let cls: ts.ClassDeclaration | undefined = declaration; cls !== undefined; ) {
    const ctor = cls.members.find(
      (m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && m.body !== undefined,
    );
    if (ctor !== undefined) {
      return {
        owner: cls.name?.text ?? '(anonymous)',
        internal: ts.isInternalDeclaration(ctor, ctor.getSourceFile()),
        private: (ts.getModifiers(ctor) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword),
      };
    }
    const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
      ?.expression;
    if (base === undefined) return undefined;
    let symbol = checker.getSymbolAtLocation(base);
    if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias)
      symbol = checker.getAliasedSymbol(symbol);
    const next = symbol?.declarations?.find(ts.isClassDeclaration);
    // A base outside src/ (Error, Writable) declares its own public constructor.
    cls =
      next !== undefined && next.getSourceFile().fileName.startsWith(path.join(root, 'src'))
        ? next
        : undefined;
  }
  return undefined;
}

describe('API review: constructors of exported classes', () => {
  const program = createSourceProgram(ENTRIES);
  const checker = program.getTypeChecker();

  it('no exported class gets its constructor from an @internal one, which the build strips', () => {
    const stripped: string[] = [];
    const privateOnes: string[] = [];
    let classes = 0;
    for (const entry of ENTRIES) {
      const file = program.getSourceFile(entry);
      assert.ok(file, `no source file ${entry}`);
      const module = checker.getSymbolAtLocation(file);
      assert.ok(module);
      for (const exported of checker.getExportsOfModule(module)) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const declaration = symbol.declarations?.find(ts.isClassDeclaration);
        // Type-only exports (`export type { Report }`) cannot be constructed.
        if (declaration === undefined || !(symbol.flags & ts.SymbolFlags.Value)) continue;
        if (exported.declarations?.some((d) => ts.isTypeOnlyImportOrExportDeclaration(d))) continue;
        classes += 1;
        const ctor = firstConstructor(checker, declaration);
        if (ctor?.internal === true && !ctor.private) stripped.push(`${exported.name} (${ctor.owner})`);
        if (ctor?.private === true && ctor.owner === exported.name) privateOnes.push(exported.name);
      }
    }
    assert.ok(classes >= 20, `only ${classes} exported classes seen`);
    assert.deepEqual(stripped, []);
    assert.deepEqual(privateOnes.sort(), Object.keys(SDK_MADE).sort());
  });

  it('the published declarations of those classes declare a private constructor and nothing of it', () => {
    const files = Object.values(SDK_MADE).map((m) => `src/${m}.ts`);
    const { dts } = emitDeclarations(['src/index.ts', ...files]);
    for (const [name, module] of Object.entries(SDK_MADE)) {
      const text = dts.get(`${module}.d.ts`);
      assert.ok(text !== undefined, `emitted: ${[...dts.keys()].join(', ')}`);
      const source = ts.createSourceFile(`${module}.d.ts`, text, ts.ScriptTarget.Latest, true);
      const cls = source.statements.find(
        (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name,
      );
      assert.ok(cls, `${module}.d.ts declares class ${name}`);
      const ctors = cls.members.filter(ts.isConstructorDeclaration);
      assert.equal(ctors.length, 1, `${name} declares one constructor`);
      const [ctor] = ctors as [ts.ConstructorDeclaration];
      assert.ok(
        ctor.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword),
        `${name}: ${ctor.getText(source)}`,
      );
      assert.equal(ctor.parameters.length, 0, `${name}: no internal type shows through the constructor`);
      const statics = cls.members.filter(
        (m) => ts.isMethodDeclaration(m) && m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword),
      );
      assert.deepEqual(
        statics.map((m) => m.name?.getText(source)),
        [],
        `${name}: the SDK's own factory is @internal`,
      );
    }
  });
});
