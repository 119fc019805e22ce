import { readFileSync } from 'node:fs';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import * as grpc from '@grpc/grpc-js';

/**
 * Trusting one more certificate authority (the org emulator's, in development and tests) besides the
 * system store. Production leaves SF_EXTRA_CA_FILE unset and nothing here runs.
 *
 * jsforce sends its HTTP through node-fetch with no agent of its own, so Node's global HTTPS agent decides
 * what is trusted. The Pub/Sub client builds its gRPC credentials with its bundled CA list and no hook to
 * add one; `withExtraGrpcCa` lends it a `createSsl` that appends ours for the duration of its connect().
 */
export function loadExtraCa(path: string): string {
  const pem = readFileSync(path, 'utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`SF_EXTRA_CA_FILE: ${path} holds no PEM certificate`);
  }
  return pem;
}

export function trustExtraCaForHttps(pem: string): void {
  const current = https.globalAgent.options.ca;
  const list = Array.isArray(current) ? current.map(String) : current ? [String(current)] : [...rootCertificates];
  if (!list.includes(pem)) list.push(pem);
  https.globalAgent.options.ca = list;
}

type CreateSsl = typeof grpc.credentials.createSsl;

/**
 * Runs `connect` (which must create its channel credentials synchronously, before its first await) with
 * `grpc.credentials.createSsl` appending `pem` to whatever roots the caller passes.
 */
export async function withExtraGrpcCa<T>(pem: string | undefined, connect: () => Promise<T>): Promise<T> {
  if (!pem) return connect();
  const credentials = grpc.credentials as { createSsl: CreateSsl };
  const original = credentials.createSsl;
  credentials.createSsl = (rootCerts, ...rest) =>
    original(Buffer.concat([rootCerts ?? Buffer.from(rootCertificates.join('\n')), Buffer.from(`\n${pem}`)]), ...rest);
  try {
    return await connect();
  } finally {
    credentials.createSsl = original;
  }
}
