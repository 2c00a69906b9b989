/**
 * The JSON of a listing page (src/core/json-body.ts): `parseJsonBody` (items parsed in slices) against
 * `JSON.parse(body.toString('utf8'))`, what the SDK did before and what a hand-written client does,
 * on real sandbox pages of 500 indicators, plain and with `includeTags`, `includeAttributes`, both, and
 * `includeAdditional`. No network in the timing: the pages are fetched once, then parsed in
 * alternating batches; the medians over the rounds are printed with their ratio (below 1: the sliced
 * parse is faster).
 *
 * The BUILT module (dist/core/json-body.js) is measured; `npm run bench:json` builds it first. Run
 * alone on the machine: `npm run bench:json [-- --rounds 15] [-- --batch 50]`.
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { flag, loadBuiltSdk, median, root } from './support.js';
import { startSandbox } from '../src/sandbox/index.js';

const VARIANTS = [
  ['plain', ''],
  ['includeTags', '&includeTags=true'],
  ['includeAttributes', '&includeAttributes=true'],
  ['tags and attributes', '&includeTags=true&includeAttributes=true'],
  ['includeAdditional', '&includeAdditional=true'],
] as const;

async function main(): Promise<void> {
  const rounds = flag('--rounds', 15);
  const batch = flag('--batch', 50);
  const sdk = await loadBuiltSdk();
  const { parseJsonBody } = (await import(
    pathToFileURL(path.join(root, 'dist', 'core', 'json-body.js')).href
  )) as { parseJsonBody: (body: Buffer) => unknown };
  const sandbox = await startSandbox({ seedIndicators: 3000 });
  const tc = new sdk.ThreatConnect({
    baseUrl: sandbox.baseUrl,
    accessId: sandbox.accessId,
    secretKey: sandbox.secretKey,
    defaultOrg: sandbox.defaultOrg,
  });
  try {
    console.log(`pages of 500 indicators, ${rounds} rounds of ${batch} parses a side, alternating`);
    for (const [name, query] of VARIANTS) {
      const ro = new sdk.RequestObject()
        .setHttpMethod('GET')
        .setRequestUri(`/v2/indicators?resultLimit=500${query}`)
        .setOwner('Example Community');
      const body = (await tc.apiRequest(ro)).content;
      const sides = {
        whole: () => JSON.parse(body.toString('utf8')) as unknown,
        sliced: () => parseJsonBody(body),
      };
      if (JSON.stringify(sides.whole()) !== JSON.stringify(sides.sliced()))
        throw new Error(`${name}: results differ`);
      const times = { whole: [] as number[], sliced: [] as number[] };
      for (let round = 0; round < rounds; round += 1) {
        const order = round % 2 === 0 ? (['whole', 'sliced'] as const) : (['sliced', 'whole'] as const);
        for (const side of order) {
          const started = performance.now();
          for (let i = 0; i < batch; i += 1) sides[side]();
          times[side].push((performance.now() - started) / batch);
        }
      }
      const whole = median(times.whole);
      const sliced = median(times.sliced);
      console.log(
        `  ${name.padEnd(20)} ${(body.length / 1024).toFixed(0).padStart(4)} KB: JSON.parse ${whole.toFixed(3)} ms, ` +
          `parseJsonBody ${sliced.toFixed(3)} ms, ratio ${(sliced / whole).toFixed(3)}x`,
      );
    }
  } finally {
    await tc.close();
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
