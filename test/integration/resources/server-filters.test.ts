/**
 * `retrieve({ serverFilters: true })` (docs/filters.md, "Server-side filters"): the request URIs it sends,
 * the report's counts (unfiltered results are what the server sent), the same results as the default
 * client-side path, requests it leaves alone (single objects, filters the listing lacks), and a bad value
 * of the option.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FilterOperator, type ThreatConnect, ValidationError } from '../../../src/index.js';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { ids, resetSandbox, targets } from './support.js';

const SEED = 300;
const LIMIT = 100;
const PAGE = `resultLimit=${LIMIT}&resultStart=0`;
const ORG = 'Example Org';
const EC = 'Example Community';

describe('serverFilters: post filters sent as filters=', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  const data = sampleData(SEED);

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: SEED });
    tc = clientFor(sandbox, { apiResultLimit: LIMIT, concurrency: 1 });
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  /** Runs the seed's post filter example; returns the ids and the report's counts. */
  async function badGuys(serverFilters: boolean) {
    const before = { unfiltered: tc.report.resultsUnfiltered, filtered: tc.report.resultsFiltered };
    const adversaries = tc.adversaries();
    const filter = adversaries.addFilter();
    filter.addPfName('Bad Guy');
    filter.addPfDateAdded('2015-06-18T20:21:45-05:00', FilterOperator.GE);
    await adversaries.retrieve({ serverFilters });
    return {
      ids: ids(adversaries),
      unfiltered: tc.report.resultsUnfiltered - before.unfiltered,
      filtered: tc.report.resultsFiltered - before.filtered,
    };
  }

  it('the seed example: the same result, fewer results received, the filters in the URI', async () => {
    const plain = await badGuys(false);
    assert.deepEqual(await targets(sandbox), [
      `/v2/groups/adversaries?createActivityLog=false&owner=Example+Org&${PAGE}`,
    ]);
    await resetSandbox(sandbox);
    const server = await badGuys(true);
    assert.deepEqual(await targets(sandbox), [
      `/v2/groups/adversaries?filters=name%3DBad%20Guy,dateAdded%3E2015-06-17&createActivityLog=false&owner=Example+Org&${PAGE}`,
    ]);
    assert.deepEqual(plain.ids, [710]);
    assert.deepEqual(server.ids, plain.ids);
    const orgAdversaries = data.groups.filter((g) => g.ownerName === ORG && g.type === 'Adversary');
    const badGuyCount = orgAdversaries.filter((g) => g.name === 'Bad Guy').length;
    assert.equal(plain.unfiltered, orgAdversaries.length);
    // The server kept the Bad Guys added from two days before the bound on; the client kept one.
    assert.ok(server.unfiltered <= badGuyCount && server.unfiltered >= 1, `${server.unfiltered}`);
    assert.ok(server.unfiltered < plain.unfiltered);
    assert.equal(server.filtered, 1);
    assert.equal(plain.filtered, 1);
  });

  it('a pivot listing carries the filters too; a single-object request does not', async () => {
    const indicators = tc.indicators();
    const filter = indicators.addFilter().addOwner(EC);
    filter.addTag('APT').addIndicator('10.20.30.40');
    filter.addPfConfidence(50, FilterOperator.GE);
    await indicators.retrieve({ serverFilters: true });
    const expected = data.indicators
      .filter(
        (i) =>
          i.ownerName === EC &&
          i.active &&
          (i.tags.includes('APT') || i.summary === '10.20.30.40') &&
          (i.confidence ?? -1) >= 50,
      )
      .map((i) => i.id);
    assert.deepEqual(new Set(ids(indicators)), new Set(expected));
    assert.ok(expected.length > 0);
    assert.deepEqual((await targets(sandbox)).sort(), [
      `/v2/indicators/addresses/10.20.30.40?createActivityLog=false&owner=Example+Community`,
      `/v2/tags/APT/indicators?filters=confidence%3E49&createActivityLog=false&owner=Example+Community&${PAGE}`,
    ]);
  });

  it('post filters the listing cannot filter on send nothing: the request is the default one', async () => {
    const indicators = tc.indicators();
    const filter = indicators.addFilter();
    filter.addPfTag('APT');
    filter.addPfConfidence(50, FilterOperator.NE);
    await indicators.retrieve({ serverFilters: true });
    const sent = await targets(sandbox);
    assert.ok(
      sent.includes(`/v2/indicators?createActivityLog=false&owner=Example+Org&includeTags=true&${PAGE}`),
    );
    assert.deepEqual(
      sent.filter((t) => t.includes('filters=')),
      [],
    );
  });

  it('stream() takes the option too', async () => {
    const tasks = tc.tasks();
    const task = data.tasks.find((t) => t.ownerName === ORG);
    assert.ok(task);
    tasks.addFilter().addPfName(task.name);
    const got: number[] = [];
    for await (const t of tasks.stream({ serverFilters: true })) got.push(t.id);
    assert.deepEqual(got, [task.id]);
    assert.deepEqual(await targets(sandbox), [
      `/v2/tasks?filters=name%3D${encodeURIComponent(task.name)}&createActivityLog=false&owner=Example+Org&${PAGE}`,
    ]);
  });

  it('a value other than true or false is a ValidationError before any request', async () => {
    const groups = tc.groups();
    groups.addFilter().addPfName('x');
    await assert.rejects(
      groups.retrieve({ serverFilters: 'yes' as unknown as boolean }),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.message === 'serverFilters must be true or false, got "yes"',
    );
    assert.deepEqual(await targets(sandbox), []);
  });
});
