/**
 * `tc.report` is read-only (issue 6, section 4): the write side (beginCall, recordPostFilter, the
 * result counts) lives on the internal ReportRecorder. Checked three ways: the published declaration
 * of `Report` (emitted with tsconfig.build.json, whose stripInternal must be on) has no write member,
 * the package entry exports `Report` as a type only and not the recorder, and at run time neither a
 * report nor a client's `tc.report` has a write method.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { ThreatConnect } from '../../../src/index.js';
import { createReport, Report } from '../../../src/report/index.js';
import { emitDeclarations } from '../../helpers/declarations.js';

const WRITE_SIDE = [
  'beginCall',
  '_finishCall',
  'finishCall',
  'recordPostFilter',
  'addUnfilteredResults',
  'addFilteredResults',
  'addAttempt',
  'finish',
] as const;

// Compile-time: none of the write side is a key of the public type (checked by `npm run lint`).
const noWriteSideInType: Extract<keyof Report, (typeof WRITE_SIDE)[number]> extends never ? true : false =
  true;

function memberNames(cls: ts.ClassDeclaration, source: ts.SourceFile): string[] {
  return cls.members.map((m) => (m.name === undefined ? ts.SyntaxKind[m.kind] : m.name.getText(source)));
}

describe('the public Report type has no write side', () => {
  const { options, dts } = emitDeclarations(['src/index.ts', 'src/report/report.ts']);

  it('tsconfig.build.json strips @internal members from the published declarations', () => {
    assert.equal(options.stripInternal, true);
  });

  it('the published declaration of Report has only reading members and a private constructor', () => {
    const text = dts.get('report/report.d.ts');
    assert.ok(text !== undefined, `emitted: ${[...dts.keys()].join(', ')}`);
    const source = ts.createSourceFile('report.d.ts', text, ts.ScriptTarget.Latest, true);
    const cls = source.statements.find(
      (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === 'Report',
    );
    assert.ok(cls, 'report.d.ts declares class Report');
    const names = memberNames(cls, source);
    for (const name of WRITE_SIDE) assert.ok(!names.includes(name), `Report declares ${name}`);
    for (const name of ['apiCalls', 'enabled', 'entries', 'failures', 'stats', 'toJSON', 'toString']) {
      assert.ok(names.includes(name), `Report lacks ${name}: ${names.join(', ')}`);
    }
    assert.ok(names.includes('[Symbol.iterator]') && names.includes('[inspect.custom]'));
    const ctor = cls.members.find(ts.isConstructorDeclaration);
    assert.ok(ctor, 'a constructor is declared');
    assert.ok(
      ctor.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword),
      'users cannot construct a Report',
    );
    assert.equal(ctor.parameters.length, 0, 'no internal type leaks through the constructor');
    assert.ok(!/@internal/.test(text), 'no @internal member is left in the declaration');
  });

  it('the package entry exports Report as a type only, and not the recorder', () => {
    const text = dts.get('index.d.ts');
    assert.ok(text !== undefined);
    const source = ts.createSourceFile('index.d.ts', text, ts.ScriptTarget.Latest, true);
    const fromReport = source.statements.filter(
      (s): s is ts.ExportDeclaration =>
        ts.isExportDeclaration(s) &&
        s.moduleSpecifier !== undefined &&
        /\/report\//.test(s.moduleSpecifier.getText(source)),
    );
    assert.equal(fromReport.length, 1);
    const [declaration] = fromReport as [ts.ExportDeclaration];
    assert.equal(declaration.isTypeOnly, true);
    const clause = declaration.exportClause;
    assert.ok(clause !== undefined && ts.isNamedExports(clause));
    assert.deepEqual(clause.elements.map((e) => e.name.text).sort(), [
      'AttemptSummary',
      'ErrorSummary',
      'PostFilterEntry',
      'PostFilterEntryFields',
      'Report',
      'ReportEntry',
      'RequestEntry',
      'RequestEntryFields',
    ]);
    assert.ok(!/createReport|ReportRecorder|CallRecorder/.test(text));
  });
});

describe('at run time a report has no write method', () => {
  const assertNoWriteSide = (report: object): void => {
    for (const name of WRITE_SIDE) assert.equal(name in report, false, `report.${name} exists`);
    assert.deepEqual(Reflect.ownKeys(report), [], 'no own properties (the state is in a private field)');
  };

  it('a report made by createReport', () => {
    assert.equal(noWriteSideInType, true);
    const { report, recorder } = createReport({ clock: { now: () => 0 } });
    assertNoWriteSide(report);
    assert.ok(report instanceof Report);
    recorder.addUnfilteredResults(1);
    assert.equal(report.resultsUnfiltered, 1, 'the recorder writes what the report reads');
    assert.equal(
      Object.getOwnPropertyNames(Report.prototype).some((n) => (WRITE_SIDE as readonly string[]).includes(n)),
      false,
    );
  });

  it("a client's tc.report", async () => {
    const tc = new ThreatConnect('id', 'secret', 'Example Org', 'https://tc.example.com/api');
    try {
      assertNoWriteSide(tc.report);
    } finally {
      await tc.close();
    }
  });
});
