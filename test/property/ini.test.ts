/**
 * Properties of the INI reader (`parseIni`, RawConfigParser semantics: see src/core/ini.ts): generated
 * files with sections, keys and values full of `#`, `;`, `=`, `:` and brackets, multi-line values,
 * comments, blank lines, a [DEFAULT] section, CRLF and a BOM read back as the sections they were
 * written from.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConfigError } from '../../src/core/errors.js';
import { type IniSections, parseIni } from '../../src/core/ini.js';

interface Entry {
  /** As written; the reader lower-cases it. */
  key: string;
  /** The value on the key line (trimmed, maybe empty). */
  first: string;
  /** Continuation lines (indented on the page), `''` for a blank line inside the value. */
  more: string[];
}

interface Section {
  name: string;
  entries: Entry[];
}

/** One of the characters of `set` (all of them single code units). */
const chars = (set: string) => fc.constantFrom(...Array.from(set));
/** Characters that matter to the reader, plus ordinary ones and non-ASCII. */
const SPECIAL = '#;=:[]%"\'!';
const ORDINARY = 'aZq09 _-.é€';

const trimmed = (s: string) => s.trim() === s;
const sectionName = fc
  .string({ unit: chars(ORDINARY + SPECIAL.replace(']', '')), minLength: 1, maxLength: 12 })
  .filter((n) => n.trim() !== '' && n !== 'DEFAULT');
const key = fc
  .string({ unit: chars(ORDINARY + '#;[]%"\'!'), minLength: 1, maxLength: 12 })
  .filter((k) => k !== '' && trimmed(k) && !/^[[#;]/.test(k));
const firstValue = fc.string({ unit: chars(ORDINARY + SPECIAL), maxLength: 20 }).filter(trimmed);
/** A continuation line: not blank and not a comment once trimmed. */
const continuation = fc
  .string({ unit: chars(ORDINARY + SPECIAL), minLength: 1, maxLength: 16 })
  .filter((l) => l !== '' && trimmed(l) && !/^[#;]/.test(l));
const entry: fc.Arbitrary<Entry> = fc.record({
  key,
  first: firstValue,
  more: fc.array(
    fc.oneof({ weight: 4, arbitrary: continuation }, { weight: 1, arbitrary: fc.constant('') }),
    {
      maxLength: 3,
    },
  ),
});
const entries = fc.uniqueArray(entry, { maxLength: 5, selector: (e) => e.key.toLowerCase() });

const fileArb = fc.record({
  sections: fc.uniqueArray(fc.record({ name: sectionName, entries }), {
    maxLength: 4,
    selector: (s) => s.name,
  }),
  defaults: fc.option(entries, { nil: undefined }),
  defaultsAt: fc.nat(),
  separator: fc.constantFrom('=', ' = ', ':', ' : ', '= ', '\t=\t'),
  newline: fc.constantFrom('\n', '\r\n'),
  bom: fc.boolean(),
  comments: fc.boolean(),
});
type File = typeof fileArb extends fc.Arbitrary<infer T> ? T : never;

/** The sections in file order, [DEFAULT] among them when there is one. */
function sectionsOf(file: File): Section[] {
  const sections: Section[] = [...file.sections];
  if (file.defaults !== undefined) {
    sections.splice(file.defaultsAt % (sections.length + 1), 0, { name: 'DEFAULT', entries: file.defaults });
  }
  return sections;
}

/** Writes the file as a person would: comments and blank lines between entries, values indented. */
function render(file: File): string {
  const lines: string[] = [];
  if (file.comments) lines.push('# written by a property test', '; another comment', '');
  for (const section of sectionsOf(file)) {
    lines.push(`[${section.name}]`);
    for (const e of section.entries) {
      lines.push(`${e.key}${file.separator}${e.first}`.replace(/\s+$/, ''));
      for (const line of e.more) {
        lines.push(line === '' ? '' : `    ${line}`);
        // A comment line inside a multi-line value is not part of it.
        if (file.comments && line !== '') lines.push('  # not part of the value');
      }
      if (file.comments) lines.push('; between entries', '');
    }
  }
  return (file.bom ? '\uFEFF' : '') + lines.join(file.newline) + file.newline;
}

const valueOf = (e: Entry) => [e.first, ...e.more].join('\n').trimEnd();

/** What the reader should give: keys lower-cased, [DEFAULT]'s keys in every section under its own. */
function expected(file: File): Record<string, [string, string][]> {
  const defaults = (file.defaults ?? []).map((e): [string, string] => [e.key.toLowerCase(), valueOf(e)]);
  const out: Record<string, [string, string][]> = Object.create(null) as Record<string, [string, string][]>;
  for (const section of file.sections) {
    const own = section.entries.map((e): [string, string] => [e.key.toLowerCase(), valueOf(e)]);
    const merged = new Map([...defaults, ...own]);
    out[section.name] = [...merged].sort();
  }
  if (defaults.length > 0) out.DEFAULT = [...defaults].sort();
  return out;
}

/** Sections as sorted [key, value] lists (the reader's objects have no prototype). */
function entriesOf(sections: IniSections): Record<string, [string, string][]> {
  const out: Record<string, [string, string][]> = Object.create(null) as Record<string, [string, string][]>;
  for (const [name, section] of Object.entries(sections)) out[name] = Object.entries(section).sort();
  return out;
}

describe('parseIni properties', () => {
  it('reads back the sections, keys and values a file was written from', () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        const text = render(file);
        assert.deepEqual(entriesOf(parseIni(text)), expected(file), JSON.stringify(text));
      }),
      { numRuns: 300 },
    );
  });

  it('a key repeated in its section (in any case) is an error naming its line', () => {
    fc.assert(
      fc.property(
        fc.record({ name: sectionName, entries }).filter((s) => s.entries.length > 0),
        fc.nat(),
        (section, pick) => {
          const lines = [
            `[${section.name}]`,
            ...section.entries.map((e) => `${e.key} = ${e.first}`.trimEnd()),
          ];
          const repeated = section.entries[pick % section.entries.length]?.key ?? '';
          lines.push(`${repeated.toUpperCase()} = again`);
          assert.throws(
            () => parseIni(lines.join('\n'), 'tc.conf'),
            (error: unknown) =>
              error instanceof ConfigError &&
              error.message ===
                `tc.conf, line ${lines.length}: key "${repeated.toUpperCase().toLowerCase()}" appears twice in its section`,
          );
        },
      ),
    );
  });
});
