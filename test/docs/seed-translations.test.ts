/**
 * Every code sample of the seed page ("Advanced Python Functionality") that these cover has an executed
 * TypeScript translation in docs/*.md that makes the seed's calls, camelCased, in the seed's order.
 *
 * The seed's "Advanced Outputs Formats" samples (CEF, CSV, JSON, Key Value, LEEF) and its "Stats
 * Reporting" sample all do the same thing: `indicators = tc.indicators()`, a filter object with
 * `add_owner(owner)` and `add_tag('APT')`, `indicators.retrieve()`, then print `indicator.cef` (…
 * `csv_header`/`csv`, `json`, `keyval`, `leef`) for each indicator, or `tc.report.stats`. The docs
 * printed formats only through `fromApiIndicator` over `apiRequestPages` (docs/formats.md) and the stats
 * through `apiRequestPages` with `reportEnable()` (docs/client.md, "Reporting"), both with prose saying
 * the containers and the objects' format properties "come with the resources issue", which they did.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { extractBlocks } from './blocks.js';

const root = path.resolve(import.meta.dirname, '../..');

function executedBlocks(): { where: string; code: string }[] {
  const files = [
    'README.md',
    ...readdirSync(path.join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => path.join('docs', f)),
  ];
  return files.flatMap((file) =>
    extractBlocks(file, readFileSync(path.join(root, file), 'utf8')).map((b) => ({
      where: `${file}:${b.line}`,
      code: b.code,
    })),
  );
}

/** True when every pattern matches, each after the previous one's match (same calls, same order). */
function inOrder(code: string, patterns: RegExp[]): boolean {
  let at = 0;
  for (const pattern of patterns) {
    const re = new RegExp(pattern.source, pattern.flags.replace('g', '') + 'g');
    re.lastIndex = at;
    const m = re.exec(code);
    if (m === null) return false;
    at = m.index + m[0].length;
  }
  return true;
}

/** The seed's common heading of these samples: an indicators container, owner + tag APT, retrieve. */
const RETRIEVE_APT = [
  /\btc\.indicators\(\)/,
  /\.addFilter\(\)/,
  /\.addOwner\(owner\)/,
  /\.addTag\('APT'\)/,
  /\bindicators\.retrieve\(\)/,
];

const SAMPLES: { section: string; calls: RegExp[]; without?: RegExp }[] = [
  {
    section: 'Advanced Outputs Formats > CEF',
    calls: [...RETRIEVE_APT, /for \(const indicator of indicators\)/, /indicator\.cef\b/],
  },
  {
    section: 'Advanced Outputs Formats > CSV',
    calls: [...RETRIEVE_APT, /\.csvHeader\b/, /for \(const indicator of indicators\)/, /indicator\.csv\b/],
  },
  {
    section: 'Advanced Outputs Formats > JSON',
    calls: [...RETRIEVE_APT, /for \(const indicator of indicators\)/, /indicator\.json\b/],
  },
  {
    section: 'Advanced Outputs Formats > Key Value',
    calls: [...RETRIEVE_APT, /for \(const indicator of indicators\)/, /indicator\.keyval\b/],
  },
  {
    section: 'Advanced Outputs Formats > LEEF',
    calls: [...RETRIEVE_APT, /for \(const indicator of indicators\)/, /indicator\.leef\b/],
  },
  {
    // The seed does not call report_enable() here: its printed stats are the always-on counters.
    section: 'Reporting > Stats Reporting',
    calls: [...RETRIEVE_APT, /\btc\.report\.stats\b/],
    without: /reportEnable\(\)/,
  },
];

describe("the seed's format and stats samples have executed translations in the docs", () => {
  const blocks = executedBlocks();
  for (const sample of SAMPLES) {
    it(`${sample.section}: a docs block makes the seed's calls in order`, () => {
      const found = blocks.filter(
        (b) =>
          inOrder(b.code, sample.calls) && (sample.without === undefined || !sample.without.test(b.code)),
      );
      assert.ok(
        found.length > 0,
        `no executed ts block in README.md or docs/*.md translates the seed's "${sample.section}" sample ` +
          `(expected, in order: ${sample.calls.map((c) => c.source).join(' … ')})`,
      );
    });
  }
});
