import { z } from 'zod';
import { channel } from './channel';

/** One trusted CA certificate as the console shows it (the PEM itself is in `caPem`). */
const CaSummary = z.object({ subject: z.string(), issuer: z.string(), validTo: z.string(), fingerprint: z.string() });

/**
 * Settings › Network: the proxy and extra trusted CAs used for every outbound call (IdP discovery,
 * JWKS, token and userinfo requests, pass-through services, the token inspector's discovery).
 */
export const NetworkView = z.object({
  /** As saved in Settings; '' = none set here (the environment's HTTPS_PROXY applies, if any). */
  proxyUrl: z.string(),
  /** Hosts that bypass the proxy set here (comma-separated, NO_PROXY syntax). */
  noProxy: z.string(),
  /** Extra trusted CA certificates, PEM, as saved. Certificates are public: no secret here. */
  caPem: z.string(),
  cas: z.array(CaSummary),
  /** What the environment says (HTTPS_PROXY/HTTP_PROXY/NO_PROXY), credentials masked. */
  env: z.object({
    httpsProxy: z.string().nullable(),
    httpProxy: z.string().nullable(),
    noProxy: z.string().nullable(),
  }),
  /** The proxy in force for https URLs and where it comes from, credentials masked. */
  effective: z.object({
    proxy: z.string().nullable(),
    source: z.enum(['settings', 'environment', 'none']),
    noProxy: z.string(),
  }),
  updatedAt: z.number().nullable(),
  updatedBy: z.string().nullable(),
});
export type NetworkView = z.infer<typeof NetworkView>;

export const NetworkInput = z.strictObject({
  proxyUrl: z.string().max(2048).default(''),
  /** Absent = keep what is saved (by default: this machine's loopback names). */
  noProxy: z.string().max(4096).optional(),
  caPem: z
    .string()
    .max(512 * 1024)
    .default(''),
  actor: z.string().max(254).default('console'),
});
export type NetworkInput = z.input<typeof NetworkInput>;

export const networkChannels = {
  get: channel(
    z.void(),
    NetworkView,
    'The proxy and trusted CAs used for outbound calls, and what the environment sets.',
  ),
  save: channel(
    NetworkInput,
    NetworkView,
    'Save the proxy and trusted CAs: proxy must be http(s), CAs must be PEM certificates; a bad field is named, nothing saved.',
  ),
};
