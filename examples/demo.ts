/**
 * `npm run demo`: the "Advanced" page of the Python SDK, section by section, in TypeScript, against an
 * embedded sandbox with sample data. Each block is the page's example with camelCase names (see
 * docs/migrating-from-python.md), followed where useful by what this SDK adds. It imports the package
 * the way a user does (`threatconnect` and `threatconnect/sandbox`, resolved through package.json
 * `exports` to the built dist/), and runs with tsx: `npx tsx examples/demo.ts` after `npm run build`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BadRequestError,
  FilterOperator,
  FilterSetOperator,
  IndicatorType,
  RequestObject,
  ThreatConnect,
  ValidationError,
} from 'threatconnect';
import { startSandbox } from 'threatconnect/sandbox';

const OWNER = 'Example Community';

function section(title: string): void {
  console.log(`\n== ${title} ==`);
}

function step(title: string): void {
  console.log(`\n-- ${title}`);
}

const started = Date.now();
const sandbox = await startSandbox({ seedIndicators: 1000 });
console.log(`Sandbox with 1000 sample indicators on ${sandbox.baseUrl} (${Date.now() - started} ms)`);
const logDir = mkdtempSync(path.join(tmpdir(), 'tc-demo-'));
const tc = new ThreatConnect(sandbox.accessId, sandbox.secretKey, sandbox.defaultOrg, sandbox.baseUrl);
tc.reportEnable(); // report entries, for section 7

try {
  // ---------------------------------------------------------------------------------------------
  section('1. API settings: logging, activity log, timeout, retries, result limit, proxies');
  tc.setTclFile(path.join(logDir, 'tc.log'), 'debug'); // the log file and its level
  tc.setTclConsoleLevel('critical'); // the console's level (stderr)

  tc.setActivityLog(true); // every request now carries createActivityLog=true...
  await tc.apiRequest(new RequestObject().setHttpMethod('GET').setRequestUri('/v2/owners'));
  tc.setActivityLog(false); // ...and false again (the default)
  // The sandbox lists the requests that asked for the activity log (an admin endpoint of the sandbox).
  const activity = await tc.apiRequest(
    new RequestObject().setHttpMethod('GET').setRequestUri('/_sandbox/activity'),
  );
  const logged = activity.json<{ requests: { target: string }[] }>().requests;
  console.log(`activity log on for one request, then off: the server logged ${logged.length}:`);
  for (const request of logged) console.log(`  ${request.target}`);

  tc.setApiRequestTimeout(15); // seconds per attempt: connect, then idle
  tc.setApiRetries(3); // retries after the first attempt
  tc.setApiSleep(0.5); // seconds: the base of an exponential backoff (the page's 30 would stall a demo on a retry)
  tc.setApiResultLimit(200); // items per page, 1-500 (200 is the default; the page sets 500)
  const { apiRequestTimeoutMs, apiRetries, apiSleepMs, apiResultLimit } = tc.config;
  console.log(
    `timeout ${apiRequestTimeoutMs / 1000} s, retries ${apiRetries}, sleep ${apiSleepMs / 1000} s, ` +
      `result limit ${apiResultLimit}`,
  );
  {
    // Proxies: a second client, as the sandbox needs none.
    const proxied = new ThreatConnect('ACCESS-ID', 'SECRET-KEY', 'Example Org', 'https://tc.example.com/api');
    proxied.setProxies('10.10.10.10', 8443); // no authentication
    console.log(`proxy (no authentication): ${proxied.config.proxy?.url}`);
    proxied.setProxies('10.10.10.10', 8443, 'proxy_user', 'password123'); // authentication provided
    const proxy = proxied.config.proxy;
    console.log(
      `proxy (authentication provided): ${proxy?.url}, user ${proxy?.user}; the password is never printed`,
    );
    await proxied.close();
  }

  // ---------------------------------------------------------------------------------------------
  section('2. Advanced filtering: filter objects, owners, tags, post filters, several filter objects');
  step('printing a filter object, and filter1.filters');
  const adversary = tc.adversaries();
  const filter1 = adversary.addFilter();
  filter1.addOwner(OWNER);
  filter1.addTag('APT');
  console.log(String(filter1));
  console.log(filter1.filters.join(', '));
  await adversary.retrieve();
  for (const a of adversary) console.log(`adversary ${a.id} ${a.name} ${a.ownerName ?? '-'}`);

  step('filter object basics: its API filters are ORed (no owner given: the default org)');
  const basics = tc.adversaries();
  const filter2 = basics.addFilter();
  filter2.addIndicator('10.20.30.40');
  filter2.addVictimId(10);
  filter2.addTag('APT');
  await basics.retrieve();
  for (const a of basics) console.log(`adversary ${a.id} ${a.name} ${a.ownerName ?? '-'}`);

  step('post filter basics: its post filters are ANDed, on the SDK side');
  const named = tc.adversaries();
  const filter3 = named.addFilter();
  filter3.addPfName('Bad Guy');
  filter3.addPfDateAdded('2015-06-18T20:21:45-05:00', FilterOperator.GE);
  for (const p of filter3.postFilters) console.log(p.description);
  await named.retrieve();
  for (const a of named)
    console.log(`adversary ${a.id} ${a.name} ${a.dateAdded ?? '-'} ${a.ownerName ?? '-'}`);

  step('the owner filter applies to every API filter of its filter object that can carry one');
  const owned = tc.indicators();
  const filter4 = owned.addFilter().addOwner(OWNER).addIndicator('10.20.30.40').addAdversaryId(5);
  const ownerQuery = new URLSearchParams({ owner: OWNER }).toString();
  for (const r of filter4.apiRequests) {
    console.log(
      r.ownerAllowed ? `${r.requestUri}?${ownerQuery}` : `${r.requestUri} (no owner: its items are checked)`,
    );
  }
  await owned.retrieve();
  console.log(`${owned.length} indicators: ${[...owned].map((i) => i.id).join(', ')}`);

  step('indicator-type filter: addFilter(IndicatorType.HOSTS)');
  const hosts = tc.indicators();
  hosts.addFilter(IndicatorType.HOSTS).addOwner(OWNER).addTag('EXAMPLE');
  await hosts.retrieve();
  for (const h of hosts) console.log(`host ${h.id} ${h.summary}`);

  step('modified since (no filter object: the default org)');
  const indicators = tc.indicators();
  indicators.setModifiedSince('2015-06-17T00:00:00Z');
  const byType = new Map<string, number>();
  for await (const indicator of indicators.stream()) {
    byType.set(indicator.type, (byType.get(indicator.type) ?? 0) + 1);
  }
  const total = [...byType.values()].reduce((sum, n) => sum + n, 0);
  const perType = [...byType].map(([type, n]) => `${n} ${type}`).join(', ');
  console.log(`${total} indicators of ${sandbox.defaultOrg} modified since 2015-06-17: ${perType}`);

  step('multiple filter objects: (TLP Red AND threat 38) OR addresses tagged EXAMPLE');
  // A value a filter cannot take throws ValidationError here, before any request (the Python SDK
  // raised AttributeError, hence the page's try/except around each filter object).
  const several = tc.indicators();
  const f1 = several.addFilter();
  f1.addOwner(OWNER);
  f1.addSecurityLabel('TLP Red');

  const f2 = several.addFilter();
  f2.addOwner(OWNER);
  f2.addFilterOperator(FilterSetOperator.AND);
  f2.addThreatId(38);

  const f3 = several.addFilter(IndicatorType.ADDRESSES);
  f3.addOwner(OWNER);
  f3.addFilterOperator(FilterSetOperator.OR);
  f3.addTag('EXAMPLE');

  await several.retrieve();
  for (const i of several) console.log(`indicator ${i.id} ${i.type} ${i.summary} ${i.ownerName ?? '-'}`);
  console.log(`count ${several.length}`);

  // ---------------------------------------------------------------------------------------------
  section('3. Manual API calls: RequestObject and apiRequest, page by page');
  const ro = new RequestObject();
  ro.setHttpMethod('GET');
  ro.setOwner(OWNER); // OPTIONAL
  ro.setOwnerAllowed(true);
  ro.setResourcePagination(true);
  ro.setRequestUri('/v2/indicators');
  const results = await tc.apiRequest(ro); // one request, as in the original
  if (results.headers['content-type'] === 'application/json') {
    const data = results.json<{ status: string; data: { resultCount: number; indicator: unknown[] } }>();
    // The page prints the whole document (json.dumps(data, indent=4)); here the first item only.
    const { resultCount, indicator: items } = data.data;
    console.log(
      `${data.status}: resultCount ${resultCount}, ${items.length} items in this answer; the first:`,
    );
    console.log(JSON.stringify(items[0], null, 4));
  }
  // Beyond the page: every page of the listing, fetched with the client's result limit.
  let count = 0;
  let pages = 0;
  for await (const page of tc.apiRequestPages(ro)) {
    pages += 1;
    count += page.items.length;
  }
  console.log(`apiRequestPages: ${count} items in ${pages} pages of up to ${tc.config.apiResultLimit}`);

  // ---------------------------------------------------------------------------------------------
  section('4. Documents: download contents, create and upload');
  step('downloading document contents');
  const download = new RequestObject();
  download.setHttpMethod('GET');
  download.setOwner(OWNER);
  download.setOwnerAllowed(true);
  download.setResourcePagination(false);
  download.setRequestUri('/v2/groups/documents/19/download');
  const downloaded = await tc.apiRequest(download);
  if (downloaded.headers['content-type'] === 'application/octet-stream') {
    console.log(JSON.stringify(downloaded.content.toString('utf8')));
  }

  step('creating and uploading a document, print(ro) included');
  let create = new RequestObject();
  create.setHttpMethod('POST');
  create.setBody(JSON.stringify({ name: 'Raw Upload Example', fileName: 'raw_example.txt' }));
  create.setContentType('application/json');
  create.setOwner(OWNER);
  create.setOwnerAllowed(true);
  create.setResourcePagination(false);
  create.setRequestUri('/v2/groups/documents');
  console.log(String(create));
  let created = await tc.apiRequest(create);
  if (created.headers['content-type'] === 'application/json') {
    const data = created.json<{ data: { document: { id: number } } }>();
    console.log(JSON.stringify(data, null, 4));
    const documentId = data.data.document.id;

    create = new RequestObject();
    create.setHttpMethod('POST');
    create.setBody('Raw upload example file Contents.');
    create.setContentType('application/octet-stream');
    create.setOwner(OWNER);
    create.setOwnerAllowed(true);
    create.setResourcePagination(false);
    create.setRequestUri('/v2/groups/documents/{0}/upload', [documentId]);
    created = await tc.apiRequest(create);
    console.log(`Status Code: ${created.status}`);
  }

  step('beyond the page: the same with a document object');
  const document = tc.documents().add('Demo document', OWNER).setFileName('demo.txt');
  await document.commit();
  await document.upload('Uploaded by the demo.\n');
  const contents = await document.download();
  console.log(`document ${document.id}, uploaded and read back: ${JSON.stringify(contents.toString())}`);

  // ---------------------------------------------------------------------------------------------
  section('5. Output formats: CEF, CSV, JSON, key value, LEEF');
  // The page's retrieval (owner + tag APT), printed for its sample record, host 355999.
  const apt = tc.indicators();
  apt.addFilter().addOwner(OWNER).addTag('APT');
  await apt.retrieve();
  const sample = [...apt].find((i) => i.id === 355999);
  console.log(`owner + tag APT: ${apt.length} indicators; host 355999, the page's sample:`);
  if (sample !== undefined) {
    step("by default, valid by each format's specification (LEEF separates with tabs, shown as \\t)");
    console.log(`CEF:    ${sample.cef}`);
    console.log(`CSV:    ${sample.csvHeader}`);
    console.log(`        ${sample.csv}`);
    console.log(`JSON:   ${sample.json}`);
    console.log(`KeyVal: ${sample.keyval}`);
    console.log(`LEEF:   ${sample.leef.replaceAll('\t', '\\t')}`);

    step("with { compat: 'python-sdk' }: the bytes the Python SDK printed (trailing spaces included)");
    const compat = { compat: 'python-sdk' } as const;
    console.log(`CEF:    ${sample.toCef(compat)}`);
    console.log(`CSV:    ${sample.csvHeader}`);
    console.log(`        ${sample.toCsv(compat)}`);
    console.log(`KeyVal: ${sample.toKeyval(compat)}`);
    console.log(`LEEF:   ${sample.toLeef(compat)}`);
    console.log(`JSON:\n${sample.toJson(compat)}`);
  }

  // ---------------------------------------------------------------------------------------------
  section('6. Indicator type override and regex override');
  step('type override: add(value, owner, IndicatorType.X) skips detection; the server checks at commit');
  const unchecked = tc.indicators().add('<indicator>', OWNER, IndicatorType.ADDRESSES);
  try {
    await unchecked.commit();
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    console.log(`${error.status} ${error.message}`);
  }
  try {
    tc.indicators().add('dc_01.corp.example', OWNER); // "_" is no host character: no type matches
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    console.log(`detection: ${error.message.slice(0, error.message.indexOf(':'))}`);
  }
  const typed = tc.indicators().add('dc_01.corp.example', OWNER, IndicatorType.HOSTS);
  await typed.commit();
  console.log(`with IndicatorType.HOSTS: created ${typed.type} ${typed.id} ${typed.summary}`);

  step("regex override: setIndicatorRegex(type, regex | [regex, ...]) replaces the type's patterns");
  const md5Re = /^([a-fA-F\d]{32})$/;
  const sha1Re = /^([a-fA-F\d]{40})$/;
  const sha256Re = /^([a-fA-F\d]{64})$/;
  tc.setIndicatorRegex(IndicatorType.FILES, [md5Re, sha1Re, sha256Re]);
  // The page's host pattern; JavaScript has no inline (?i), so the i flag instead.
  const hostRe = new RegExp(
    '\\b((?:(?!-)[a-zA-Z0-9-]{1,63}(?<!-)\\.)+(?!exe|php|dll|doc' +
      '|docx|txt|rtf|odt|xls|xlsx|ppt|pptx|bin|pcap|ioc|pdf|mdb|asp|html|xml|jpg|gif$|png' +
      '|lnk|log|vbs|lco|bat|shell|quit|pdb|vbp|bdoda|bsspx|save|cpl|wav|tmp|close|ico|ini' +
      '|sleep|run|dat$|scr|jar|jxr|apt|w32|css|js|xpi|class|apk|rar|zip|hlp|cpp|crl' +
      '|cfg|cer|plg|lxdns|cgi|xn$)(?:xn--[a-zA-Z0-9]{2,22}|[a-zA-Z]{2,13}))(?:\\s|$)',
    'i',
  );
  tc.setIndicatorRegex(IndicatorType.HOSTS, hostRe);
  const indicator = tc.indicators().add('new.domain.tld', OWNER);
  indicator.setConfidence(50);
  indicator.setRating('2.0');
  await indicator.commit(); // a refusal throws the typed ApiError (BadRequestError, ...)
  console.log(
    `committed ${indicator.type} ${indicator.id} ${indicator.summary}, ` +
      `rating ${indicator.rating ?? '-'}, confidence ${indicator.confidence ?? '-'}`,
  );
  // An override can also accept what the built-in patterns refuse: host names with "_".
  tc.setIndicatorRegex(IndicatorType.HOSTS, [hostRe, /^[\w-]+(\.[\w-]+)*\.[a-z]{2,13}$/i]);
  console.log(
    `with a pattern that allows "_": dc_01.corp.example is a ${tc.indicators().add('dc_01.corp.example', OWNER).type}`,
  );

  // ---------------------------------------------------------------------------------------------
  section('7. Reporting: stats and failures');
  step('failed reports: an adversaries filter on incident 708996, which does not exist (404)');
  const missing = tc.adversaries();
  missing.addFilter().addOwner(OWNER).addIncidentId(708996);
  await missing.retrieve(); // a 404 on a filter request is an empty result, and a report failure
  console.log(`retrieved ${missing.length}`);
  console.log(`${tc.report.failures.length} failures: the refused commit of section 6, and this one`);
  for (const fail of tc.report.failures) console.log(String(fail));

  step('tc.report.stats, for the whole demo');
  console.log(tc.report.stats);

  step('other reporting features');
  console.log(`api calls ${tc.report.apiCalls}`);
  console.log(`runtime ${tc.report.runtime} ms, request time ${tc.report.requestTime} ms`);
  const kinds = new Map<string, number>();
  for (const entry of tc.report) kinds.set(entry.kind, (kinds.get(entry.kind) ?? 0) + 1);
  console.log(`report entries: ${[...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ')}`);
  const logLines = readFileSync(path.join(logDir, 'tc.log'), 'utf8').split('\n').length - 1;
  console.log(`log file (section 1, debug level, NDJSON): ${logLines} lines`);
} finally {
  await tc.close();
  await sandbox.close();
  rmSync(logDir, { recursive: true, force: true });
}
console.log(`\nDemo done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
