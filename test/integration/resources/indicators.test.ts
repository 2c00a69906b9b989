/**
 * Indicator objects against the sandbox (sdk-behaviour.md 7, 8.1, 8.2; decisions.md 1.7): create,
 * update and delete of every type, read back through the API; metadata; associations; the type
 * override and the seed's regex override; what a failed step leaves applied and queued.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BadRequestError,
  IndicatorType,
  NotFoundError,
  ResourceType,
  ServerError,
  type ThreatConnect,
  ValidationError,
} from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import type { ResourceContext } from '../../../src/resources/context.js';
import { createGroup, createIndicator, createVictim } from '../../../src/resources/create.js';
import { type Indicator, parseIndicator } from '../../../src/resources/indicator.js';
import { GROUP_KIND_BY_TYPE, type IndicatorKind } from '../../../src/resources/kinds.js';
import { clientFor } from '../../helpers/client.js';
import { contextFor, getJson, statusOf } from '../../helpers/resources.js';
import { admin, withSandbox } from '../../helpers/sandbox.js';

const ORG = 'Example Org';
const COMMUNITY = 'Example Community';
const MD5 = 'a'.repeat(32);
const SHA256 = 'b'.repeat(64);

interface Case {
  readonly name: string;
  readonly value: string;
  /** The type when it is not detected (custom types). */
  readonly kind?: () => Promise<IndicatorKind>;
  readonly entity: string;
  readonly branch: string;
  /** The value field and what the server keeps. */
  readonly field: string;
  readonly stored?: string;
  readonly extra?: (indicator: Indicator) => void;
  readonly check?: (item: Record<string, unknown>) => void;
}

describe('indicator objects against the sandbox', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  let ctx: ResourceContext;

  before(async () => {
    sandbox = await withSandbox();
    tc = clientFor(sandbox);
    ctx = contextFor(tc);
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });

  const asnKind = async (): Promise<IndicatorKind> => {
    const kind = (await ctx.indicatorKinds()).get('ASN');
    assert.ok(kind, 'the sandbox lists the custom type ASN');
    return kind;
  };

  const cases: Case[] = [
    { name: 'Address (IPv4)', value: '198.51.100.7', entity: 'address', branch: 'addresses', field: 'ip' },
    { name: 'Address (IPv6)', value: '2001:db8::7', entity: 'address', branch: 'addresses', field: 'ip' },
    {
      name: 'EmailAddress',
      value: 'new.user@example.com',
      entity: 'emailAddress',
      branch: 'emailAddresses',
      field: 'address',
    },
    {
      name: 'File',
      value: MD5,
      entity: 'file',
      branch: 'files',
      field: 'md5',
      stored: MD5.toUpperCase(),
      extra: (i) => i.setSize(1024),
      check: (item) => {
        assert.equal(item.size, 1024);
      },
    },
    {
      name: 'Host',
      value: 'new.domain.tld',
      entity: 'host',
      branch: 'hosts',
      field: 'hostName',
      extra: (i) => i.setDnsActive(true).setWhoisActive(false),
      check: (item) => {
        assert.equal(item.dnsActive, 'true');
        assert.equal(item.whoisActive, 'false');
      },
    },
    {
      name: 'URL',
      value: 'https://new.example.com:8443/path?q=1&r=a%20b',
      entity: 'url',
      branch: 'urls',
      field: 'text',
    },
    {
      name: 'ASN (custom)',
      value: 'ASN64512',
      kind: asnKind,
      entity: 'asn',
      branch: 'asns',
      field: 'AS Number',
    },
  ];

  for (const c of cases) {
    it(`${c.name}: create, read back, update, metadata, delete`, async () => {
      const kind = c.kind === undefined ? undefined : await c.kind();
      const indicator = createIndicator(c.value, ORG, kind, ctx);
      indicator
        .setRating('2.0')
        .setConfidence(50)
        .addTag('objects-test')
        .addAttribute('Source', 'round trip');
      c.extra?.(indicator);
      const committed = await indicator.commit();
      assert.equal(committed, indicator);
      assert.ok(indicator.id > 0, 'the temporary id is replaced by the real one');
      assert.equal(indicator.phase, 'clean');
      assert.deepEqual(indicator.pendingChanges, []);
      assert.equal(indicator.ownerName, ORG);
      assert.equal(indicator.rating, 2);

      const path = `/v2/indicators/${c.branch}/${encodeURIComponent(c.value)}`;
      const item = (await getJson<Record<string, Record<string, unknown>>>(tc, path, ORG))[c.entity];
      assert.ok(item);
      assert.equal(item.id, indicator.id);
      assert.equal(item[c.field], c.stored ?? c.value);
      assert.equal(item.rating, 2);
      assert.equal(item.confidence, 50);
      c.check?.(item);

      // A fresh object read from the server, updated with PUT.
      const read = parseIndicator(item, ctx, kind ?? indicator.kind);
      assert.equal(read.summary, c.stored ?? c.value);
      await read.setConfidence(70).setRating(4.5).commit();
      assert.equal(read.confidence, 70);
      const updated = (await getJson<Record<string, Record<string, unknown>>>(tc, path, ORG))[c.entity];
      assert.ok(updated);
      assert.equal(updated.confidence, 70);
      assert.equal(updated.rating, 4.5);

      assert.deepEqual(await read.loadTags(), ['objects-test']);
      const attributes = await read.loadAttributes();
      assert.deepEqual(
        attributes.map((a) => [a.type, a.value, a.displayed]),
        [['Source', 'round trip', true]],
      );
      assert.deepEqual(await read.loadSecurityLabels(), []);

      await read.delete();
      assert.equal(read.phase, 'deleted');
      assert.equal(await statusOf(tc, path, ORG), 404);
      await assert.rejects(read.delete(), { name: 'ValidationError', message: /was already deleted$/ });
      await assert.rejects(read.commit(), {
        name: 'ValidationError',
        message: /was deleted: there is nothing to commit$/,
      });
      assert.throws(() => read.setRating(1), {
        name: 'ValidationError',
        message: /was deleted: setRating\(\) cannot change it$/,
      });
    });
  }

  it('a file given several hashes, and a second create that merges into the existing file', async () => {
    const first = createIndicator(MD5.replace(/a/g, 'c'), ORG, undefined, ctx);
    await first.commit();
    const merged = createIndicator(`${MD5.replace(/a/g, 'c')} : ${SHA256}`, ORG, IndicatorType.FILES, ctx);
    await merged.commit();
    assert.equal(merged.id, first.id, 'the API answers a create of an existing value with that indicator');
    assert.equal(merged.values.sha256, SHA256.toUpperCase());
    assert.equal(merged.summary, `${'C'.repeat(32)} : ${SHA256.toUpperCase()}`);
    assert.equal(merged.referenceValue, SHA256.toUpperCase());
    await merged.delete();
  });

  it('type override: the server refuses the value at commit with BadRequestError, nothing is applied', async () => {
    const indicator = createIndicator('<indicator>', COMMUNITY, IndicatorType.ADDRESSES, ctx);
    indicator.addTag('never-sent');
    const error = await indicator.commit().then(
      () => assert.fail('expected a BadRequestError'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof BadRequestError);
    assert.equal(error.status, 400);
    assert.equal(
      error.message,
      'Address "<indicator>": create failed: Please enter a valid Address: <indicator>',
    );
    assert.equal(indicator.phase, 'new');
    assert.deepEqual(indicator.pendingChanges, ['create', 'addTag("never-sent")']);
    // The same value without the override never reaches the server.
    assert.throws(() => createIndicator('<indicator>', COMMUNITY, undefined, ctx), ValidationError);
    // The override with a real address commits.
    const real = createIndicator('192.0.2.77', COMMUNITY, IndicatorType.ADDRESSES, ctx);
    await real.commit();
    assert.ok(real.id > 0);
    assert.equal(real.ownerName, COMMUNITY);
  });

  it("the seed's regex override (the i flag for (?i)) classifies and commits new.domain.tld", async () => {
    const client = clientFor(sandbox);
    try {
      const md5Re = /^([a-fA-F\d]{32})$/;
      const sha1Re = /^([a-fA-F\d]{40})$/;
      const sha256Re = /^([a-fA-F\d]{64})$/;
      client.setIndicatorRegex(IndicatorType.FILES, [md5Re, sha1Re, sha256Re]);
      const ipv4Regex = new RegExp(
        '(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.){3}' + '(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)',
      );
      client.setIndicatorRegex(IndicatorType.ADDRESSES, [ipv4Regex]);
      const hostRe = new RegExp(
        '\\b((?:(?!-)[a-zA-Z0-9-]{1,63}(?<!-)\\.)+(?!exe|php|dll|doc' +
          '|docx|txt|rtf|odt|xls|xlsx|ppt|pptx|bin|pcap|ioc|pdf|mdb|asp|html|xml|jpg|gif$|png' +
          '|lnk|log|vbs|lco|bat|shell|quit|pdb|vbp|bdoda|bsspx|save|cpl|wav|tmp|close|ico|ini' +
          '|sleep|run|dat$|scr|jar|jxr|apt|w32|css|js|xpi|class|apk|rar|zip|hlp|cpp|crl' +
          '|cfg|cer|plg|lxdns|cgi|xn$)(?:xn--[a-zA-Z0-9]{2,22}|[a-zA-Z]{2,13}))(?:\\s|$)',
        'i',
      );
      client.setIndicatorRegex(IndicatorType.HOSTS, hostRe);
      const overridden = contextFor(client);
      const indicator = createIndicator('new.domain.tld', COMMUNITY, undefined, overridden);
      assert.equal(indicator.type, 'Host');
      indicator.setConfidence(50);
      indicator.setRating('2.0');
      await indicator.commit();
      const host = (
        await getJson<{ host: Record<string, unknown> }>(tc, '/v2/indicators/hosts/new.domain.tld', COMMUNITY)
      ).host;
      assert.equal(host.confidence, 50);
      assert.equal(host.rating, 2);
      // The other client keeps the defaults: the unanchored IPv6-less override is this client's only.
      assert.equal(ctx.detector.detect('2001:db8::1'), IndicatorType.ADDRESSES);
      assert.equal(overridden.detector.detect('2001:db8::1'), undefined);
    } finally {
      await client.close();
    }
  });

  it('setDescription writes the displayed Description attribute, once', async () => {
    const host = createIndicator('described.example.com', ORG, undefined, ctx).setDescription('first text');
    await host.commit();
    const path = '/v2/indicators/hosts/described.example.com';
    let item = (await getJson<{ host: Record<string, unknown> }>(tc, path, ORG)).host;
    assert.equal(item.description, 'first text');
    await host.setDescription('second text').commit();
    item = (await getJson<{ host: Record<string, unknown> }>(tc, path, ORG)).host;
    assert.equal(item.description, 'second text');
    const descriptions = (await host.loadAttributes()).filter((a) => a.type === 'Description');
    assert.deepEqual(
      descriptions.map((a) => a.value),
      ['second text'],
    );
  });

  it('security labels: add, set (replaces the others), delete; tags and attributes removed', async () => {
    const host = createIndicator('labelled.example.com', ORG, undefined, ctx);
    await host
      .addSecurityLabel('TLP:AMBER')
      .addSecurityLabel('TLP:GREEN')
      .addTag('one')
      .addTag('two')
      .commit();
    assert.deepEqual((await host.loadSecurityLabels()).sort(), ['TLP:AMBER', 'TLP:GREEN']);
    await host.setSecurityLabel('TLP:RED').commit();
    assert.deepEqual(host.securityLabels, ['TLP:RED']);
    assert.deepEqual(await host.loadSecurityLabels(), ['TLP:RED']);
    await host.deleteSecurityLabel('TLP:RED').deleteTag('one').commit();
    assert.deepEqual(await host.loadSecurityLabels(), []);
    assert.deepEqual(await host.loadTags(), ['two']);
    await host.addAttribute('Source', 'to update').commit();
    const [attribute] = await host.loadAttributes();
    assert.ok(attribute?.id !== undefined);
    await host.updateAttribute(attribute.id, 'updated', false).commit();
    assert.deepEqual(
      host.attributes?.map((a) => [a.value, a.displayed]),
      [['updated', false]],
    );
    await host.deleteAttribute(attribute.id).commit();
    assert.deepEqual(host.attributes, []);
    assert.deepEqual(await host.loadAttributes(), []);
  });

  it('a failed step stops the commit: what came before stays applied, the rest stays queued', async () => {
    const host = createIndicator('partial.example.com', ORG, undefined, ctx);
    host.addTag('applied').addSecurityLabel('NO SUCH LABEL').addTag('queued');
    const error = await host.commit().then(
      () => assert.fail('expected a NotFoundError'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof NotFoundError);
    assert.equal(
      error.message,
      'Host "partial.example.com": addSecurityLabel("NO SUCH LABEL") failed: The requested resource was not found',
    );
    assert.ok(host.id > 0, 'the create went through');
    assert.equal(host.phase, 'clean');
    assert.deepEqual(host.pendingChanges, ['addSecurityLabel("NO SUCH LABEL")', 'addTag("queued")']);
    assert.deepEqual(await host.loadTags(), ['applied']);
    assert.deepEqual(host.discardPending(), ['addSecurityLabel("NO SUCH LABEL")', 'addTag("queued")']);
    await host.addTag('queued').commit();
    assert.deepEqual((await host.loadTags()).sort(), ['applied', 'queued']);
  });

  it('a step the server fails once is resumed by the next commit', async () => {
    const host = createIndicator('resumed.example.com', ORG, undefined, ctx);
    await host.commit();
    await admin(sandbox, 'POST', 'faults', {
      rules: [
        {
          kind: 'status',
          status: 500,
          method: 'POST',
          pathPrefix: '/v2/indicators/hosts/resumed.example.com/tags',
        },
      ],
    });
    host.setRating(1).addTag('after-fault').addAttribute('Source', 'after the tag');
    try {
      await assert.rejects(host.commit(), (e: unknown) => {
        assert.ok(e instanceof ServerError);
        assert.match(e.message, /^Host "resumed.example.com": addTag\("after-fault"\) failed: /);
        return true;
      });
    } finally {
      await admin(sandbox, 'DELETE', 'faults');
    }
    assert.deepEqual(host.pendingChanges, [
      'addTag("after-fault")',
      'addAttribute("Source", "after the tag")',
    ]);
    await host.commit();
    assert.deepEqual(host.pendingChanges, []);
    assert.deepEqual(await host.loadTags(), ['after-fault']);
    assert.equal((await host.loadAttributes()).length, 1);
  });

  it('associations with groups and victims, from objects or ids, and their removal', async () => {
    const adversaries = GROUP_KIND_BY_TYPE.get('Adversary');
    assert.ok(adversaries);
    const adversary = createGroup(adversaries, 'Objects Adversary', ORG, ctx);
    const victim = createVictim('Objects Victim', ORG, ctx);
    const host = createIndicator('linked.example.com', ORG, undefined, ctx);
    host.associateGroup(adversary).associateVictim(victim);
    await assert.rejects(host.commit(), {
      name: 'ValidationError',
      message:
        'Host "linked.example.com": associateGroup(Adversary (new) "Objects Adversary") failed: Adversary (new) "Objects Adversary" has not been committed: commit() it before associating it',
    });
    await adversary.commit();
    await victim.commit();
    // A victim is associated only once it has an asset (rest-api-v2.md 8).
    await victim.assets().add('emailAddress', { address: 'objects.victim@example.com' });
    await host.commit();
    const base = '/v2/indicators/hosts/linked.example.com';
    const groups = (await getJson<{ group: { id: number }[] }>(tc, `${base}/groups`, ORG)).group;
    assert.deepEqual(
      groups.map((g) => g.id),
      [adversary.id],
    );
    const victims = (await getJson<{ victim: { id: number }[] }>(tc, `${base}/victims`, ORG)).victim;
    assert.deepEqual(
      victims.map((v) => v.id),
      [victim.id],
    );
    await host
      .disassociateGroup(ResourceType.ADVERSARIES, adversary.id)
      .disassociateVictim(victim.id)
      .commit();
    assert.equal(await statusOf(tc, `${base}/groups/adversaries/${adversary.id}`, ORG), 404);
    assert.equal((await getJson<{ resultCount: number }>(tc, `${base}/victims`, ORG)).resultCount, 0);
  });

  it('objects retrieved through the containers are changed and committed like new ones', async () => {
    await createIndicator('retrieved.example.com', ORG, undefined, ctx).commit();
    const indicators = tc.indicators();
    indicators.addFilter().addOwner(ORG).addIndicator('retrieved.example.com');
    const [host] = [...(await indicators.retrieve())];
    assert.ok(host);
    assert.equal(host.phase, 'clean');
    await host.setRating(3).addTag('from-a-container').commit();
    const item = (
      await getJson<{ host: Record<string, unknown> }>(tc, '/v2/indicators/hosts/retrieved.example.com', ORG)
    ).host;
    assert.equal(item.rating, 3);
    assert.deepEqual(await host.loadTags(), ['from-a-container']);
    const adversaries = tc.adversaries();
    adversaries.addFilter().addOwner(ORG).addTag('APT');
    const [adversary] = [...(await adversaries.retrieve())];
    assert.ok(adversary);
    await adversary.associateIndicator(host).commit();
    const linked = (
      await getJson<{ group: { id: number }[] }>(tc, '/v2/indicators/hosts/retrieved.example.com/groups', ORG)
    ).group;
    assert.deepEqual(
      linked.map((g) => g.id),
      [adversary.id],
    );
  });

  it('the custom type ASN is read as a generic indicator, never dropped', async () => {
    const data = await getJson<{ indicator: Record<string, unknown>[] }>(tc, '/v2/indicators', ORG);
    const item = data.indicator.find((i) => i.type === 'ASN');
    assert.ok(item, 'the sandbox has an ASN indicator in every owner');
    const generic = parseIndicator(item, ctx);
    assert.equal(generic.kind, undefined);
    assert.equal(generic.summary, item.summary);
    const known = parseIndicator(item, ctx, undefined, await ctx.indicatorKinds());
    assert.equal(known.kind?.branch, 'asns');
    assert.deepEqual(await known.loadTags(), []);
  });
});
