/**
 * `npm run demo`: the "Advanced" page of the Python SDK, section by section, in TypeScript, against an
 * embedded sandbox with sample data. It imports the package the way a user does (`threatconnect` and
 * `threatconnect/sandbox`, resolved through package.json `exports` to the built dist/), and runs with
 * tsx: `npx tsx examples/demo.ts` after `npm run build`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
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

const started = Date.now();
const sandbox = await startSandbox({ seedIndicators: 1000 });
console.log(`Sandbox with 1000 sample indicators on ${sandbox.baseUrl} (${Date.now() - started} ms)`);
const logDir = mkdtempSync(path.join(tmpdir(), 'tc-demo-'));
const tc = new ThreatConnect(sandbox.accessId, sandbox.secretKey, sandbox.defaultOrg, sandbox.baseUrl);

try {
  // ---------------------------------------------------------------------------------------------
  section('1. API settings: logging, activity log, timeout, retries, result limit, proxies');
  tc.setTclFile(path.join(logDir, 'tc.log'), 'debug'); // the log file and its level
  tc.setTclConsoleLevel('critical'); // the console's level
  tc.setActivityLog(false); // createActivityLog=false on each request (the default)
  tc.setApiRequestTimeout(15); // seconds per request
  tc.setApiRetries(2); // retries of a failed request...
  tc.setApiSleep(0.1); // ...after a backoff from this base (seconds)
  tc.setApiResultLimit(200); // items per page
  tc.reportEnable(); // for section 7
  console.log(`result limit ${tc.config.apiResultLimit}, retries ${tc.config.apiRetries}`);
  {
    // A proxy is set the same way; a second client here, as the sandbox needs none.
    const proxied = new ThreatConnect('ID', 'SECRET', 'Example Org', 'https://tc.example.com/api');
    proxied.setProxies('10.10.10.10', 8443, 'proxy_user', 'password123');
    console.log(`proxy ${proxied.config.proxy?.url ?? '-'} (credentials kept out of the URL)`);
    await proxied.close();
  }

  // ---------------------------------------------------------------------------------------------
  section('2. Advanced filtering: filter objects, owners, tags, post filters, several filter objects');
  const adversaries = tc.adversaries();
  const byTag = adversaries.addFilter();
  byTag.addOwner(OWNER); // the owner filter applies to every other filter of the object
  byTag.addTag('APT');
  byTag.addPfDateAdded('2015-01-01T00:00:00Z', FilterOperator.GE); // a post filter, applied locally
  console.log(String(byTag)); // printing a filter object
  await adversaries.retrieve();
  for (const a of adversaries) console.log(`  adversary ${a.id} ${a.name} (${a.ownerName ?? '-'})`);

  const hosts = tc.indicators();
  hosts.addFilter(IndicatorType.HOSTS).addOwner(OWNER).addTag('EXAMPLE'); // a type filter
  await hosts.retrieve();
  console.log(`  hosts tagged EXAMPLE in ${OWNER}: ${hosts.length}`);

  const since = tc.indicators();
  since.setModifiedSince('2015-06-17T00:00:00Z'); // the modified-since filter
  const byType = new Map<string, number>();
  for await (const indicator of since.stream()) {
    byType.set(indicator.type, (byType.get(indicator.type) ?? 0) + 1);
  }
  console.log(`  ${sandbox.defaultOrg}, modified since 2015-06-17:`, Object.fromEntries(byType));

  const several = tc.indicators();
  several.addFilter().addOwner(OWNER).addSecurityLabel('TLP Red');
  several.addFilter().addOwner(OWNER).addFilterOperator(FilterSetOperator.OR).addThreatId(38);
  const rated = several.addFilter().addOwner(OWNER).addFilterOperator(FilterSetOperator.OR).addTag('APT');
  rated.addPfRating(3, FilterOperator.GE);
  await several.retrieve();
  console.log(`  TLP Red OR threat 38 OR (APT, rating >= 3): ${several.length} indicators`);
  for (const i of [...several].slice(0, 3))
    console.log(`    ${i.id} ${i.type} ${i.summary} rating=${i.rating ?? '-'}`);

  // ---------------------------------------------------------------------------------------------
  section('3. Manual API calls: RequestObject and apiRequest, page by page');
  const ro = new RequestObject();
  ro.setHttpMethod('GET');
  ro.setOwner(OWNER);
  ro.setOwnerAllowed(true);
  ro.setResourcePagination(true);
  ro.setRequestUri('/v2/indicators');
  ro.setDescription('all indicators of the community');
  let items = 0;
  let pages = 0;
  for await (const page of tc.apiRequestPages(ro)) {
    pages += 1;
    items += page.items.length;
  }
  console.log(`  GET /v2/indicators in ${OWNER}: ${items} items in ${pages} pages`);

  // ---------------------------------------------------------------------------------------------
  section('4. Documents: download contents, create and upload');
  const download = await tc.apiRequest(
    new RequestObject()
      .setHttpMethod('GET')
      .setOwner(OWNER)
      .setRequestUri('/v2/groups/documents/19/download'),
  );
  console.log(
    `  document 19 (${download.headers['content-type'] ?? '?'}): ${JSON.stringify(download.text())}`,
  );
  const document = tc.documents().add('Demo document', OWNER).setFileName('demo.txt');
  await document.commit();
  await document.upload('Uploaded by the demo.\n');
  const contents = await document.download();
  console.log(
    `  created document ${document.id}, uploaded and read back: ${JSON.stringify(contents.toString())}`,
  );

  // ---------------------------------------------------------------------------------------------
  section('5. Output formats: CEF, CSV, JSON, key value, LEEF');
  // The seed's sample record, host 355999, in every format: spec-correct by default, and the bytes the
  // Python SDK printed with { compat: 'python-sdk' }.
  const sample = tc.indicators();
  sample.addFilter(IndicatorType.HOSTS).addOwner(OWNER).addIndicator('www.badguy_014.com');
  await sample.retrieve();
  for (const indicator of sample) {
    console.log(`  CEF:    ${indicator.cef}`);
    console.log(`  CSV:    ${indicator.csvHeader}`);
    console.log(`          ${indicator.csv}`);
    console.log(`  JSON:   ${indicator.json}`);
    console.log(`  KeyVal: ${indicator.keyval}`);
    console.log(`  LEEF:   ${JSON.stringify(indicator.leef)}`);
    console.log(`  CEF, python-sdk compat: ${indicator.toCef({ compat: 'python-sdk' })}`);
  }

  // ---------------------------------------------------------------------------------------------
  section('6. Indicator type override and regex override');
  try {
    tc.indicators().add('www.badguy_014.com', OWNER); // "_" is no host character: no type matches
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    console.log(`  detection refused it: ${error.message.slice(0, 70)}…`);
  }
  const overridden = tc.indicators().add('www.badguy_014.com', OWNER, IndicatorType.HOSTS); // type override
  await overridden.commit();
  console.log(
    `  with IndicatorType.HOSTS: created ${overridden.type} ${overridden.id} ${overridden.summary}`,
  );
  tc.setIndicatorRegex(IndicatorType.HOSTS, /^[a-z0-9-]+\.corp\.example$/i); // regex override
  const internal = tc.indicators().add('build-01.corp.example', OWNER).setRating(2).setConfidence(50);
  await internal.commit();
  console.log(`  with a HOSTS regex override: detected ${internal.type} for ${internal.summary}`);

  // ---------------------------------------------------------------------------------------------
  section('7. Reporting: stats and failures');
  const missing = new RequestObject()
    .setRequestUri('/v2/groups/incidents/708996/groups/adversaries')
    .setDescription('api filter by incident id 708996');
  console.log(`  incident 708996: HTTP ${(await tc.apiRequest(missing)).status}`);
  console.log(tc.report.stats);
  for (const failure of tc.report.failures) console.log(`  failure: ${String(failure)}`);
  console.log(`  api calls ${tc.report.apiCalls}, runtime ${tc.report.runtime} ms`);
  console.log(
    `  log file: ${readFileSync(path.join(logDir, 'tc.log'), 'utf8').split('\n').length - 1} lines`,
  );
} finally {
  await tc.close();
  await sandbox.close();
  rmSync(logDir, { recursive: true, force: true });
}
console.log(`\nDemo done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
