import type * as client from 'openid-client';
import type { FlowStatus, SessionView } from '@shared/contract/oidc';
import type { EffectiveClientAuth } from '@shared/domain';
import type { IssuerMatch } from '@shared/issuer-match';
import type { RelyingParty } from './client-config';
import type { LoopbackListener } from './loopback-listener';
import type { Trace } from '../trace';
import type { FlowSecrets } from './recording-fetch';

export type FlowState = FlowStatus['state'];

/** One "Sign in with SSO" in progress or just finished: what `SigninFlows` and its steps share. */
export interface Flow {
  id: string;
  email: string;
  rp: RelyingParty;
  accountIds: string[];
  meta: client.ServerMetadata;
  state: FlowState;
  trace: Trace;
  startedAt: number;
  expiresAt: number;
  listener: LoopbackListener | null;
  timer: NodeJS.Timeout | null;
  secrets: { state: string; nonce: string; verifier: string };
  /** Every secret value of this flow so far, scrubbed from each recorded exchange. */
  known: FlowSecrets;
  /** openid-client's fetch for this flow: records each exchange into the trace, redacted. */
  fetch: client.CustomFetch;
  offered: Array<{ id: string; name: string }>;
  /** How the discovered issuer relates to the IdP URL (Entra ID's domain tenants, `{tenantid}` templates). */
  issuerMatch: IssuerMatch;
  /** The client authentication of the token request, and openid-client's function for it. */
  auth: { method: EffectiveClientAuth; clientAuth: client.ClientAuth };
  userClaim: string;
  /** The scopes asked for (granted ones, when the token response names none). */
  scopes: string[];
  waitingHint: string;
  /** What the Simulator's sentence needs beyond the error: the IdP's error, the granted scopes, the asserted user. */
  facts: FlowFacts;
  userId: number | null;
  /** The registered user the IdP asserted (the ID token's claim), once checked: what a test sign-in credits. */
  asserted: string | null;
  idToken: string | undefined;
  session: SessionView | null;
  error: { code: string; message: string } | null;
  finishedAt: number | null;
  /** The Simulator run that started this flow: its audit event links back to the run. */
  runId?: string | undefined;
  /** A test sign-in (before switching SSO on): the account and the fingerprint of its saved settings. */
  test: { accountId: string; fingerprint: string } | null;
}

/** The details of a flow's outcome the Simulator turns into its sentence (engine-internal, not in the contract). */
export interface FlowFacts {
  idpError?: string;
  idpErrorDescription?: string;
  grantedScopes?: string;
  requestedScopes?: string;
  userClaim?: string;
  clientAuth?: string;
  assertedEmail?: string;
  port?: number;
}

export const TERMINAL: ReadonlySet<FlowState> = new Set(['signed_in', 'failed']);
