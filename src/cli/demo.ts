/**
 * `npm run demo`: starts an embedded sandbox with sample data and queries it over HTTP.
 *
 * Until the SDK client lands, the demo signs its requests itself (rest-api-v2.md 2.1).
 */
import { createHmac } from 'node:crypto';
import { startSandbox } from '../sandbox/index.js';

interface Envelope {
  status: string;
  data?: Record<string, unknown>;
  message?: string;
}

async function main(): Promise<void> {
  const started = Date.now();
  const sandbox = await startSandbox({ seedIndicators: 1000 });
  process.stdout.write(
    `Sandbox with 1000 sample indicators listening on ${sandbox.baseUrl} (${Date.now() - started} ms)\n\n`,
  );
  const get = async (pathAndQuery: string): Promise<Envelope> => {
    const url = new URL(sandbox.baseUrl + pathAndQuery);
    const signed = url.pathname + url.search;
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', sandbox.secretKey)
      .update(`${signed}:GET:${timestamp}`)
      .digest('base64');
    const response = await fetch(url, {
      headers: { Timestamp: String(timestamp), Authorization: `TC ${sandbox.accessId}:${signature}` },
    });
    return (await response.json()) as Envelope;
  };
  try {
    const owners = await get('/v2/owners');
    process.stdout.write('Owners:\n');
    for (const owner of owners.data?.owner as { id: number; name: string; type: string }[]) {
      process.stdout.write(`  ${owner.id}  ${owner.name} (${owner.type})\n`);
    }
    const apt = await get('/v2/tags/APT/indicators?owner=Example+Community&resultLimit=5&resultStart=0');
    process.stdout.write(
      `\nIndicators tagged APT in Example Community: ${String(apt.data?.resultCount)} (first 5)\n`,
    );
    for (const item of apt.data?.indicator as {
      id: number;
      type: string;
      summary: string;
      rating?: number;
    }[]) {
      process.stdout.write(
        `  ${item.id}  ${item.type.padEnd(12)} ${item.summary}  rating=${item.rating ?? '-'}\n`,
      );
    }
    const threat = await get('/v2/groups/threats/38/indicators');
    process.stdout.write(`\nThreat 38 has ${String(threat.data?.resultCount)} associated indicators.\n`);
  } finally {
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
