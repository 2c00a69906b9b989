/** A self-signed certificate for the HTTPS mode, made at start (selfsigned, pure JavaScript). */
export interface SelfSignedCertificate {
  key: string;
  cert: string;
}

export async function createSelfSignedCertificate(host: string): Promise<SelfSignedCertificate> {
  const { generate } = await import('selfsigned');
  const altNames: ({ type: 2; value: string } | { type: 7; ip: string })[] = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
  ];
  if (host !== '127.0.0.1' && host !== 'localhost') {
    altNames.push(
      /^[\d.]+$/.test(host) || host.includes(':') ? { type: 7, ip: host } : { type: 2, value: host },
    );
  }
  const pems = await generate([{ name: 'commonName', value: 'threatconnect-sandbox' }], {
    // EC keys take a few ms to make where RSA-2048 takes about 85 ms (dependencies.md).
    keyType: 'ec',
    notAfterDate: new Date(Date.now() + 30 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
