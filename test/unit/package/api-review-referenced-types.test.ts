/**
 * API review: every type the public API refers to can be named by a user (docs/decisions.md, "API
 * reference": the check fails "when the public API refers to a type that is not exported"). typedoc
 * inlines a type alias of literals, so it let two through: `RequestObject.httpMethod` returned
 * `HttpMethod` and `RequestLike.headers` was `HeaderValues`, neither exported by `threatconnect`.
 *
 * Walks the declarations each entry exports, in the sources (type positions only: no function bodies,
 * no initializers, no private, protected or `@internal` members, which the build strips), and lists the
 * named types declared under src/ that the entry does not export. Base classes are left out: typedoc
 * and editors show inherited members on the exported class.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { createSourceProgram } from '../../helpers/declarations.js';

const root = path.resolve(import.meta.dirname, '../../..');
const src = path.join(root, 'src') + path.sep;
const ENTRIES = ['src/index.ts', 'src/sandbox/index.ts'].map((f) => path.join(root, f));

const TYPE_DECLARATION =
  ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.Enum;

function hidden(node: ts.Node): boolean {
  if (ts.isInternalDeclaration(node, node.getSourceFile())) return true;
  if (ts.isClassElement(node) && node.name !== undefined && ts.isPrivateIdentifier(node.name)) return true;
  if (!ts.canHaveModifiers(node)) return false;
  const modifiers = ts.getModifiers(node) ?? [];
  return modifiers.some(
    (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword,
  );
}

function unexportedReferences(
  program: ts.Program,
  entry: string,
): { missing: Map<string, Set<string>>; seen: Set<string> } {
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(entry);
  assert.ok(file, `no source file ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(file);
  assert.ok(moduleSymbol, `no module symbol for ${entry}`);
  const resolve = (symbol: ts.Symbol): ts.Symbol =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const exported = new Set(checker.getExportsOfModule(moduleSymbol).map(resolve));
  const missing = new Map<string, Set<string>>();
  const seen = new Set<string>();

  const reference = (name: ts.Node, from: string): void => {
    const found = checker.getSymbolAtLocation(name);
    if (found === undefined) return;
    const symbol = resolve(found);
    if ((symbol.flags & TYPE_DECLARATION) === 0) return;
    seen.add(symbol.name);
    if (exported.has(symbol)) return;
    const declaration = symbol.declarations?.[0];
    if (declaration === undefined || !declaration.getSourceFile().fileName.startsWith(src)) return;
    const users = missing.get(symbol.name) ?? new Set<string>();
    users.add(from);
    missing.set(symbol.name, users);
  };

  const walk = (node: ts.Node, from: string): void => {
    if (hidden(node) || ts.isHeritageClause(node)) return;
    if (ts.isTypeReferenceNode(node)) reference(node.typeName, from);
    else if (ts.isExpressionWithTypeArguments(node)) reference(node.expression, from);
    if (ts.isFunctionLike(node)) {
      // Signatures only: parameters, type parameters and the return type, never the body.
      for (const p of node.typeParameters ?? []) walk(p, from);
      for (const p of node.parameters) walk(p, from);
      if (node.type !== undefined) walk(node.type, from);
      return;
    }
    if (ts.isPropertyDeclaration(node) || ts.isVariableDeclaration(node) || ts.isParameter(node)) {
      if (node.type !== undefined) walk(node.type, from);
      return;
    }
    ts.forEachChild(node, (child) => {
      walk(child, from);
    });
  };

  for (const symbol of exported) {
    for (const declaration of symbol.declarations ?? []) {
      if (!declaration.getSourceFile().fileName.startsWith(src)) continue;
      walk(declaration, symbol.name);
    }
  }
  return { missing, seen };
}

describe('API review: referenced types are exported', () => {
  const program = createSourceProgram(ENTRIES);

  const sample = new Map([
    [ENTRIES[0], 'ClientOptions'],
    [ENTRIES[1], 'SandboxOptions'],
  ]);
  for (const entry of ENTRIES) {
    it(`${path.relative(root, entry)} exports every type its exports refer to`, () => {
      const { missing, seen } = unexportedReferences(program, entry);
      // The walk reaches the signatures: an exported type the entry's functions take is among them.
      assert.ok(seen.has(sample.get(entry) ?? ''), `the walk saw only ${[...seen].join(', ')}`);
      const listed = [...missing].map(([name, users]) => `${name} (used by ${[...users].join(', ')})`);
      assert.deepEqual(listed, []);
    });
  }
});
