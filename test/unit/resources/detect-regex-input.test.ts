/**
 * `setIndicatorRegex`'s input, beyond detect.test.ts: it must refuse an array that holds no RegExp at all. An empty
 * array is refused because it "would silently stop a type from ever being detected" (docs/decisions.md,
 * Resources: objects, entry 3); a sparse array (`new Array(1)`, `[, ]`) does exactly that today, because
 * `Array.prototype.forEach` skips holes, so the per-element RegExp check never runs.
 */
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { describe, it } from 'node:test';
import { IndicatorType } from '../../../src/index.js';
import { IndicatorRegexes } from '../../../src/resources/detect.js';

const { HOSTS } = IndicatorType;

describe('setIndicatorRegex: arrays with holes, RegExps of another realm', () => {
  it('refuses an array of holes with a ConfigError and keeps the patterns it had', () => {
    const regexes = new IndicatorRegexes();
    assert.throws(
      () => {
        regexes.set(HOSTS, new Array<RegExp>(2));
      },
      { name: 'ConfigError' },
    );
    assert.equal(regexes.detect('evil.com'), HOSTS, 'a refused call changes nothing');
  });

  it('refuses a hole beside a RegExp, naming its index', () => {
    const regexes = new IndicatorRegexes();
    // eslint-disable-next-line no-sparse-arrays -- the point of the test
    const withHole = [/^x\.lan$/, , /^y\.lan$/] as unknown as RegExp[];
    assert.throws(
      () => {
        regexes.set(HOSTS, withHole);
      },
      { name: 'ConfigError', message: /regex\[1\] must be a RegExp/ },
    );
    // patterns() must never hand back `undefined` as a pattern
    assert.ok(regexes.patterns(HOSTS).every((r) => r instanceof RegExp));
  });

  it('takes a RegExp made in another realm (a vm context) and detects with it', () => {
    const regexes = new IndicatorRegexes();
    const foreign = vm.runInNewContext('/^[a-z]+\\.lan$/i') as RegExp;
    assert.equal(foreign instanceof RegExp, false, 'the premise: instanceof refuses it');
    regexes.set(HOSTS, foreign);
    assert.equal(regexes.detect('Printer.LAN'), HOSTS);
    assert.equal(regexes.detect('evil.com'), undefined, 'the default host pattern was replaced');
    assert.throws(
      () => {
        regexes.set(HOSTS, vm.runInNewContext('({ source: "x", flags: "" })') as RegExp);
      },
      { name: 'ConfigError', message: /regex must be a RegExp/ },
    );
  });
});
