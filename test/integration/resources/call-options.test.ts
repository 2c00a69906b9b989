/**
 * The options of every call that takes `{ signal }`, from plain JavaScript: `null` or a non-object,
 * a `signal` that is not an AbortSignal, and an option the call does not have (a misspelt one would
 * otherwise be ignored), are `ValidationError`s naming the call, and nothing is sent. (Before, `null` failed as a TypeError, thrown synchronously by `commit()`, and a wrong signal
 * as a `ConnectionError` from inside the HTTP client, after the request had been prepared.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type Group,
  type Indicator,
  RequestObject,
  ThreatConnect,
  ValidationError,
  type Victim,
} from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { requestLog, withSandbox } from '../../helpers/sandbox.js';

describe('call options from plain JavaScript', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  let host: Indicator;
  let doc: Group;
  let adversary: Group;
  let victim: Victim;

  before(async () => {
    sandbox = await withSandbox();
    tc = clientFor(sandbox);
    host = await tc.indicators().add('options.check.example.com').commit();
    doc = tc.documents().add('Options check');
    doc.setFileName('check.txt');
    await doc.commit();
    adversary = await tc.adversaries().add('Options check').commit();
    victim = await tc.victims().add('Options check').commit();
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });

  const BAD: [unknown, (method: string) => string][] = [
    [null, (m) => `${m}: options must be an object, got null`],
    ['fast', (m) => `${m}: options must be an object, got "fast"`],
    [{ signal: 'x' }, (m) => `${m}: \`signal\` must be an AbortSignal, got "x"`],
    [{ signal: { aborted: false } }, (m) => `${m}: \`signal\` must be an AbortSignal, got an object`],
  ];

  const ro = (): RequestObject => {
    const r = new RequestObject();
    r.setRequestUri('/v2/owners');
    return r;
  };

  // Each call, given the options as the only or last argument; `method` is the name in the message.
  const CALLS: [string, (options: never) => Promise<unknown>][] = [
    ['apiRequest', (o) => tc.apiRequest(ro(), o)],
    ['apiRequestPages', (o) => tc.apiRequestPages(ro(), o)[Symbol.asyncIterator]().next()],
    ['retrieve', (o) => tc.indicators().retrieve(o)],
    ['stream', (o) => tc.indicators().stream(o).next()],
    ['commit', (o) => host.setDescription('changed').commit(o)],
    ['delete', (o) => host.delete(o)],
    ['loadTags', (o) => host.loadTags(o)],
    ['loadAttributes', (o) => host.loadAttributes(o)],
    ['loadSecurityLabels', (o) => host.loadSecurityLabels(o)],
    ['observations', (o) => host.observations(o)],
    ['owners', (o) => host.owners(o)],
    ['fileOccurrences', (o) => host.fileOccurrences(o)],
    ['upload', (o) => doc.upload('text', o)],
    ['download', (o) => doc.download(o)],
    ['assets().list', (o) => adversary.assets().list(undefined, o)],
    ['assets().delete', (o) => victim.assets().delete('emailAddress', 1, o)],
    ['indicatorTypes', (o) => tc.types().indicatorTypes(o)],
    ['associationTypes', (o) => tc.types().associationTypes(o)],
    ['metrics', (o) => tc.owners().metrics(o)],
    ['members', (o) => tc.owners().members(o)],
  ];

  for (const [method, run] of CALLS) {
    it(`${method}() refuses bad options before sending anything`, async () => {
      const sent = (await requestLog(sandbox)).length;
      for (const [options, message] of BAD) {
        // A rejection, never a synchronous throw: `.catch()` sees it.
        const pending = run(options as never);
        await assert.rejects(pending, (error: unknown) => {
          assert.ok(error instanceof ValidationError, `${method}: ${String(error)}`);
          assert.equal(error.message, message(method));
          return true;
        });
      }
      assert.equal((await requestLog(sandbox)).length, sent, `${method} sent a request`);
    });
  }

  it('a misspelt option is refused by every call, naming it and the options there are', async () => {
    const sent = (await requestLog(sandbox)).length;
    for (const [method, run] of CALLS) {
      await assert.rejects(run({ signl: undefined } as never), (error: unknown) => {
        assert.ok(error instanceof ValidationError, `${method}: ${String(error)}`);
        assert.match(
          error.message,
          new RegExp(`^${method.replace(/[().]/g, '\\$&')}: unknown option \`signl\` \\(options: .*signal`),
        );
        return true;
      });
    }
    await assert.rejects(tc.apiRequest(ro(), { throwOnErrors: true } as never), {
      name: 'ValidationError',
      message:
        'apiRequest: unknown option `throwOnErrors` (options: throwOnError, alsoAccept, stream, signal, countsAsApiFilter)',
    });
    await assert.rejects(tc.indicators().retrieve({ concurency: 2 } as never), {
      name: 'ValidationError',
      message:
        'retrieve: unknown option `concurency` (options: concurrency, signal, includeTags, includeAttributes, serverFilters)',
    });
    assert.equal((await requestLog(sandbox)).length, sent, 'a request was sent');
  });

  it('signal checks also guard deleted() and observed()', async () => {
    const sent = (await requestLog(sandbox)).length;
    await assert.rejects(tc.indicators().observed({ signal: 'x' } as never), {
      name: 'ValidationError',
      message: 'observed: `signal` must be an AbortSignal, got "x"',
    });
    // deleted() checks its options when called, as it always has.
    assert.throws(() => tc.indicators().deleted({ signal: 'x' } as never), {
      name: 'ValidationError',
      message: 'deleted: `signal` must be an AbortSignal, got "x"',
    });
    assert.equal((await requestLog(sandbox)).length, sent);
  });

  it('an AbortSignal and no options at all still work', async () => {
    const controller = new AbortController();
    assert.ok((await host.loadTags({ signal: controller.signal })).length >= 0);
    assert.equal((await tc.apiRequest(ro(), { signal: controller.signal })).status, 200);
    assert.equal((await tc.apiRequest(ro())).status, 200);
    await host.setDescription('committed').commit({ signal: controller.signal });
    assert.equal(host.phase, 'clean');
  });

  it('an AbortSignal of another realm or a polyfill works as a signal, and its abort stops the call', async () => {
    // The shape of the abort-controller polyfills (and of a signal made in another realm): an
    // EventTarget with `aborted` and `reason`, which `instanceof AbortSignal` refuses.
    class PolyfillSignal extends EventTarget {
      aborted = false;
      reason: unknown = undefined;
      abort(reason: unknown): void {
        this.aborted = true;
        this.reason = reason;
        this.dispatchEvent(new Event('abort'));
      }
    }
    const signal = new PolyfillSignal();
    assert.equal(signal instanceof AbortSignal, false);
    const options = { signal } as unknown as { signal: AbortSignal };
    assert.equal((await tc.apiRequest(ro(), options)).status, 200);
    assert.ok((await host.loadTags(options)).length >= 0);
    // Aborted part way through a listing (within its page): the walk ends at the next object with the
    // typed AbortError, the reason in its message.
    const indicators = tc.indicators();
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const indicator of indicators.stream({ ...options, concurrency: 1 })) {
          seen.push(indicator.id);
          signal.abort(new Error('enough'));
        }
      })(),
      (e: unknown) =>
        e instanceof Error && e.name === 'AbortError' && e.message === 'The operation was aborted: enough',
    );
    assert.equal(seen.length, 1);
    await assert.rejects(tc.apiRequest(ro(), options), { name: 'AbortError' });
  });
});
