/** the sandbox takes a rating as a number or a plain decimal string, not '0x5' or '1e0'. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

describe('review: rating strings', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  it("accepts '2.0' and refuses hexadecimal and exponent forms", async () => {
    const create = (rating: unknown) =>
      call(sandbox, 'POST', '/v2/indicators/hosts', {
        body: JSON.stringify({ hostName: 'rating.example.com', rating }),
      });
    const ok = await create('2.0');
    assert.equal(ok.status, 201, ok.text);
    assert.match(ok.text, /"rating":2\.00/);
    for (const bad of ['0x5', '1e0', ' ', '']) {
      const refused = await create(bad);
      assert.equal(refused.status, 400, `${JSON.stringify(bad)}: ${refused.text}`);
      assert.deepEqual(refused.json(), {
        status: 'Failure',
        message: `The rating for this Indicator is invalid, please enter a number from 0 to 5: ${JSON.stringify(bad)}`,
      });
    }
  });
});
