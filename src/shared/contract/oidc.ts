import { z } from 'zod';
import { channel } from './channel';
import { CLIENT_AUTH_METHODS, PLANS, PRESETS, ROLES } from '../domain';
import { TraceStep } from '../trace';

const accountId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected an account id');
const email = z.email('expected an email address').max(254);
const flowId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'expected a flow id');
const RedirectHost = z.enum(['127.0.0.1', 'localhost']);
const ClientAuth = z.enum(CLIENT_AUTH_METHODS);
/** A public JWK set (RFC 7517 §5): what an admin registers at the IdP for private_key_jwt. */
export const PublicJwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

/** Whether something may be switched on, and if not, why (shown next to the control). */
const Gate = z.object({ allowed: z.boolean(), reason: z.string() });

/** Staged enforcement: SSO required first for these roles and/or this SCIM group; null = everyone. */
export const SsoStage = z.strictObject({
  roles: z.array(z.enum(ROLES)).max(3).default([]),
  group: z.string().trim().min(1).max(200).nullable().default(null),
});
export type SsoStage = z.infer<typeof SsoStage>;

/** What makes switching SSO on safe for an account (see engine/oidc/enforcement.ts). */
export const EnforcementView = z.object({
  /** The fingerprint of the saved settings (null: nothing saved yet); a result counts only for its own. */
  fingerprint: z.string().nullable(),
  lastTest: z
    .object({
      fingerprint: z.string(),
      ok: z.boolean(),
      at: z.number(),
      summary: z.string(),
      /** A passing test that could not confirm the client (the IdP only showed its login page): why; else null. */
      unconfirmed: z.string().nullable().default(null),
    })
    .nullable(),
  lastSignin: z
    .object({ fingerprint: z.string(), at: z.number(), email: z.string(), withinWindow: z.boolean() })
    .nullable(),
  signinWindowMinutes: z.number(),
  /** Active members who lose password login when SSO is on (owners excepted while break-glass is on). */
  usersLosingPassword: z.number().int(),
  /** Active members and active owners: the count for a draft that changes the break-glass. */
  activeMembers: z.number().int(),
  activeOwners: z.number().int(),
  /** Owner break-glass: owners keep their password for this account while SSO is enforced. */
  ownerPassword: z.object({ on: z.boolean(), at: z.number().nullable(), by: z.string().nullable() }),
  /** Whom SSO is required for while it is on; null = everyone. */
  stage: SsoStage.nullable().default(null),
});
export type EnforcementView = z.infer<typeof EnforcementView>;

/** The configuration users signed in with before the last edit of a live SSO setup (Revert to last working). */
export const LastWorkingView = z.object({
  issuer: z.string(),
  clientId: z.string(),
  keptAt: z.number(),
  keptBy: z.string(),
});
export type LastWorkingView = z.infer<typeof LastWorkingView>;

export const OidcConfigView = z.object({
  account: z.string(),
  accountName: z.string(),
  plan: z.enum(PLANS),
  configured: z.boolean(),
  enabled: z.boolean(),
  preset: z.enum(PRESETS),
  presetParams: z.record(z.string(), z.string()),
  issuer: z.string(),
  clientId: z.string(),
  /** Write-only: the console learns only whether a secret is stored. */
  clientSecretSet: z.boolean(),
  /** Opaque references that change whenever another secret / private key is stored (a hash of ciphertext / public JWKS). */
  clientSecretRef: z.string().nullable(),
  clientKeyRef: z.string().nullable(),
  scopes: z.array(z.string()),
  redirectHost: RedirectHost,
  /** null = any port (RFC 8252 §7.3); else the one port the listener binds (IdPs that match exactly: Okta). */
  redirectPort: z.number().int().nullable(),
  /** What to register at the IdP: loopback without a port, or with the fixed port. */
  redirectUri: z.string(),
  /** As configured: `auto` picks from the IdP's token_endpoint_auth_methods_supported at sign-in. */
  clientAuth: ClientAuth,
  /** The method used at the token endpoint as far as the settings alone tell (auto: Basic with a secret, none without). */
  clientAuthEffective: z.enum(['client_secret_basic', 'client_secret_post', 'none', 'private_key_jwt']),
  /** In words: how the effective method is chosen. */
  clientAuthNote: z.string(),
  /** The claim that identifies the user (`email` by default). */
  userClaim: z.string(),
  /** Whether SSO Desk holds a private key for private_key_jwt (stored encrypted; never sent back). */
  clientKeySet: z.boolean(),
  /** The public half of that key, to register at the IdP (its JWKS); null without a key. */
  clientJwks: PublicJwks.nullable(),
  enabledAt: z.number().nullable(),
  enabledBy: z.string().nullable(),
  canEnable: Gate,
  canUsePresets: Gate,
  enforcement: EnforcementView,
  /** Save's warning when the user claim usually comes with a scope that Scopes does not ask for; else null. */
  scopeWarning: z.string().nullable().default(null),
  /** What "Revert to last working" would restore; null when nothing is kept. */
  lastWorking: LastWorkingView.nullable(),
});
export type OidcConfigView = z.infer<typeof OidcConfigView>;

const presetParams = z.record(z.string().max(64), z.string().max(300)).default({});

/** A configuration as the form holds it. The client secret: absent = keep what is stored. */
export const OidcDraftInput = z.strictObject({
  account: accountId,
  enabled: z.boolean(),
  preset: z.enum(PRESETS).default('generic'),
  presetParams,
  issuer: z.string().max(2048).default(''),
  clientId: z.string().max(512),
  clientSecret: z.string().max(2048).optional(),
  /** true removes the stored secret: the client becomes public (PKCE only, no client_secret sent). */
  clearClientSecret: z.boolean().default(false),
  scopes: z.array(z.string().max(200)).max(50).default(['openid', 'email', 'profile']),
  redirectHost: RedirectHost.default('127.0.0.1'),
  actor: z.string().max(254).default('console'),
  // The fields below are optional: absent = keep what is stored (or the default for a new config).
  /** null = any port; else 1024–65535 (checked on save, with the field named). */
  redirectPort: z.number().nullable().optional(),
  clientAuth: ClientAuth.optional(),
  userClaim: z.string().max(100).optional(),
  /** Write-only: a private key to import for private_key_jwt (PKCS#8 PEM or a private JWK as JSON). */
  clientPrivateKey: z.string().max(16_384).optional(),
  /** true: generate a new key pair for private_key_jwt (the old public key must be replaced at the IdP). */
  newClientKey: z.boolean().optional(),
  /** Switching SSO on without a recent test sign-in: the number of users the admin confirmed lose password login. */
  confirmLockout: z.number().int().min(0).max(1_000_000).optional(),
  /** Owner break-glass (absent = keep): owners may still use their password for this account. */
  ownerPassword: z.boolean().optional(),
  /** Staged enforcement (absent = keep; null = everyone): whom SSO is required for first. */
  stage: SsoStage.nullable().optional(),
});

/** The unsaved IdP settings a test sign-in goes through: the draft without who saves it or what it switches. */
export const SigninDraft = OidcDraftInput.omit({
  account: true,
  enabled: true,
  actor: true,
  confirmLockout: true,
  ownerPassword: true,
}).partial();
export type SigninDraftInput = z.input<typeof SigninDraft>;

export const Finding = z.object({
  check: z.string(),
  level: z.enum(['ok', 'warning', 'error']),
  message: z.string(),
});
export type Finding = z.infer<typeof Finding>;

/** One request Test connection sent, as the admin may replay it (never with a secret). */
export const TriedUrl = z.object({
  what: z.string(),
  method: z.string(),
  url: z.string(),
  /** "HTTP 200", "302 → http://127.0.0.1:8765/callback?error=login_required", "no answer: …" */
  outcome: z.string(),
});
export type TriedUrl = z.infer<typeof TriedUrl>;

export const TestReport = z.object({
  issuer: z.string(),
  ok: z.boolean(),
  durationMs: z.number(),
  findings: z.array(Finding),
  /**
   * The one-line answer: `reachable_ok` (all checks passed), `unreachable` (this computer cannot
   * reach the IdP: DNS, proxy, TLS), `refused` (the IdP answered no to this client/redirect),
   * `problems` (the IdP answered but something needs attention), `unconfirmed` (everything passed but
   * the IdP only showed its login page: whether it knows the client is not confirmed until a Test sign-in).
   */
  verdict: z.enum(['ok', 'unreachable', 'refused', 'problems', 'unconfirmed']).default('problems'),
  tried: z.array(TriedUrl).default([]),
  /** What Test connection cannot check from here, said plainly. */
  unchecked: z.array(z.string()).default([]),
});
export type TestReport = z.infer<typeof TestReport>;

// A sign-in's steps use the trace shape shared with the other engines, the HAR export and the audit.
export { TraceStep };

const AccountChoice = z.object({ id: z.string(), name: z.string() });

export const SessionView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  account: z.string(),
  accountName: z.string(),
  issuer: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
});
export type SessionView = z.infer<typeof SessionView>;

export const FlowStatus = z.object({
  flowId: z.string(),
  state: z.enum(['waiting', 'exchanging', 'picking', 'signed_in', 'failed']),
  email: z.string(),
  issuer: z.string(),
  startedAt: z.number(),
  expiresAt: z.number(),
  steps: z.array(TraceStep),
  /** While `picking`: the accounts the IdP-asserted user may enter. */
  accounts: z.array(AccountChoice),
  session: SessionView.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** While waiting: what an error page at the IdP usually means (the redirect or the client ID), null after. */
  waitingHint: z.string().nullable(),
  /**
   * The user the IdP signed in (once its ID token is checked), null before. Differs from `email` when
   * the IdP reused another user's open session: a test sign-in counts for this user, not the typed one.
   */
  assertedEmail: z.string().nullable().default(null),
});
export type FlowStatus = z.infer<typeof FlowStatus>;

export const PolicyView = z.object({
  email: z.string(),
  registered: z.boolean(),
  reason: z.string(),
  accounts: z.array(
    z.object({
      account: z.string(),
      accountName: z.string(),
      ssoEnabled: z.boolean(),
      /** The protocol of the account's SSO while it is on. */
      protocol: z.enum(['oidc', 'saml']).nullable().default(null),
      passwordMethod: z.enum(['passthrough', 'password']).nullable(),
      reason: z.string(),
    }),
  ),
});

export const ssoChannels = {
  oidc: {
    get: channel(
      z.strictObject({ account: accountId }),
      OidcConfigView,
      'An account’s OIDC settings; the secret only as set/not set.',
    ),
    save: channel(
      OidcDraftInput,
      OidcConfigView,
      'Validate and save an account’s OIDC settings: every bad field is named, nothing saved.',
    ),
    stagePreview: channel(
      z.strictObject({ account: accountId, stage: SsoStage.nullable(), ownerPassword: z.boolean().optional() }),
      z.object({
        moving: z.array(z.string()),
        keeping: z.array(z.object({ email: z.string(), why: z.string() })),
        groups: z.array(z.string()),
      }),
      'Who moves to SSO and who keeps a password with a stage of enforcement; the SCIM groups to choose from.',
    ),
    revert: channel(
      z.strictObject({ account: accountId, actor: z.string().max(254).default('console') }),
      OidcConfigView,
      'Restore the last working SSO settings of an account in one step (SSO stays on).',
    ),
    test: channel(
      OidcDraftInput.omit({ enabled: true, actor: true }).extend({
        enabled: z.boolean().optional(),
        timeoutMs: z.number().int().min(200).max(30_000).default(8000),
      }),
      TestReport,
      'Discovery + JWKS checks on a configuration, saved or not; changes nothing.',
    ),
  },
  signin: {
    start: channel(
      z.strictObject({
        email,
        account: accountId.optional(),
        /** Force a fresh login at the IdP (`prompt=login` and `max_age=1`): no reuse of an open IdP session. */
        freshLogin: z.boolean().default(false),
        /** A test sign-in: through the account's saved settings even while SSO is off; opens no session. */
        test: z.boolean().optional(),
        /** The protocol to go through (a test sign-in of SAML settings); absent = the account's SSO. */
        protocol: z.enum(['oidc', 'saml']).optional(),
        /**
         * With `test`: sign in through these unsaved settings instead (an edit of a live SSO setup needs a
         * test sign-in before it may be saved). Absent fields keep the saved values, as in Save.
         */
        draft: SigninDraft.optional(),
      }),
      z.object({
        flowId: z.string(),
        authorizationUrl: z.string(),
        /** Who opens the URL: the desktop app's system browser, or the console (a new tab). */
        openedBy: z.enum(['system-browser', 'console']),
        accounts: z.array(AccountChoice),
        expiresAt: z.number(),
      }),
      'Start "Sign in with SSO": the authorization URL, and a loopback listener for its redirect.',
    ),
    status: channel(z.strictObject({ flowId }), FlowStatus, 'A sign-in flow’s step-by-step trace and outcome (poll).'),
    pick: channel(
      z.strictObject({ flowId, account: accountId }),
      FlowStatus,
      'Finish a sign-in by choosing one of the offered accounts.',
    ),
    cancel: channel(z.strictObject({ flowId }), FlowStatus, 'Abandon a sign-in flow and close its listener.'),
  },
  logout: channel(
    z.strictObject({ sessionId: z.string().min(16).max(128) }),
    z.object({
      ended: z.boolean(),
      endSessionUrl: z.string().nullable(),
      openedBy: z.enum(['system-browser', 'console']).nullable(),
    }),
    'End an SSO session locally and, where the IdP has end_session_endpoint, start RP-initiated logout.',
  ),
  policy: channel(
    z.strictObject({ email }),
    PolicyView,
    'Which sign-in methods an email may use per account, and why.',
  ),
};
