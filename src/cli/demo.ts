/**
 * `npm run demo`: starts an embedded sandbox with sample data and queries it over HTTP with the SDK.
 */
import { RequestObject, ThreatConnect } from '../index.js';

interface Listing {
  data: { resultCount?: number; owner?: { id: number; name: string; type: string }[] };
}

interface IndicatorItem {
  id: number;
  type: string;
  summary: string;
  rating?: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  // Loaded lazily, as the CLI does: client code imports no sandbox code statically (conventions.md 2.1).
  const { startSandbox } = await import('../sandbox/index.js');
  const sandbox = await startSandbox({ seedIndicators: 1000 });
  const out = (line = ''): void => {
    process.stdout.write(`${line}\n`);
  };
  out(`Sandbox with 1000 sample indicators listening on ${sandbox.baseUrl} (${Date.now() - started} ms)`);
  const tc = new ThreatConnect(sandbox.accessId, sandbox.secretKey, sandbox.defaultOrg, sandbox.baseUrl);
  try {
    tc.reportEnable();

    const owners = await tc.apiRequest(new RequestObject().setHttpMethod('GET').setRequestUri('/v2/owners'));
    out('\nOwners:');
    for (const owner of owners.json<Listing>().data.owner ?? [])
      out(`  ${owner.id}  ${owner.name} (${owner.type})`);

    const ro = new RequestObject()
      .setHttpMethod('GET')
      .setOwner('Example Community')
      .setRequestUri('/v2/tags/APT/indicators');
    out('\nIndicators tagged APT in Example Community:');
    let shown = 0;
    for await (const page of tc.apiRequestPages(ro)) {
      if (page.resultStart === 0) out(`  ${page.resultCount} in all; the first five:`);
      for (const item of page.items as IndicatorItem[]) {
        if (shown < 5)
          out(`  ${item.id}  ${item.type.padEnd(12)} ${item.summary}  rating=${item.rating ?? '-'}`);
        shown += 1;
      }
    }

    const download = await tc.apiRequest(
      new RequestObject()
        .setHttpMethod('GET')
        .setOwner('Example Community')
        .setRequestUri('/v2/groups/documents/19/download'),
    );
    out(`\nDocument 19 (${download.headers['content-type'] ?? '?'}): ${JSON.stringify(download.text())}`);

    const missing = await tc.apiRequest(
      new RequestObject().setRequestUri('/v2/groups/incidents/708996/groups/adversaries'),
    );
    out(`Incident 708996: HTTP ${missing.status} (recorded in the report's failures)`);

    out(tc.report.stats);
  } finally {
    await tc.close();
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
