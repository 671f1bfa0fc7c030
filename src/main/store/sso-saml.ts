import type { Db } from './db';

/** Per-account SAML configuration as stored: the SP private key stays SecretBox ciphertext here. */
export interface SamlRow {
  accountId: string;
  enabled: boolean;
  preset: string;
  idpEntityId: string;
  idpSsoUrl: string;
  /** PEM certificates; several at once for rollover. */
  idpCerts: string[];
  idpMetadataXml: string | null;
  acsPort: number;
  nameIdFormat: string;
  userAttribute: string;
  allowIdpInitiated: boolean;
  clockSkewSeconds: number;
  allowSha1: boolean;
  spKeyEnc: string | null;
  spCert: string | null;
  enabledAt: number | null;
  enabledBy: string | null;
  updatedAt: number;
}

interface Raw {
  account_id: string;
  enabled: number;
  preset: string;
  idp_entity_id: string;
  idp_sso_url: string;
  idp_certs: string;
  idp_metadata_xml: string | null;
  acs_port: number;
  name_id_format: string;
  user_attribute: string;
  allow_idp_initiated: number;
  clock_skew_seconds: number;
  allow_sha1: number;
  sp_key_enc: string | null;
  sp_cert: string | null;
  enabled_at: number | null;
  enabled_by: string | null;
  updated_at: number;
}

export function getSaml(db: Db, accountId: string): SamlRow | undefined {
  const r = db.prepare('SELECT * FROM sso_saml WHERE account_id = ?').get(accountId) as Raw | undefined;
  return (
    r && {
      accountId: r.account_id,
      enabled: r.enabled === 1,
      preset: r.preset,
      idpEntityId: r.idp_entity_id,
      idpSsoUrl: r.idp_sso_url,
      idpCerts: JSON.parse(r.idp_certs) as string[],
      idpMetadataXml: r.idp_metadata_xml,
      acsPort: r.acs_port,
      nameIdFormat: r.name_id_format,
      userAttribute: r.user_attribute,
      allowIdpInitiated: r.allow_idp_initiated === 1,
      clockSkewSeconds: r.clock_skew_seconds,
      allowSha1: r.allow_sha1 === 1,
      spKeyEnc: r.sp_key_enc,
      spCert: r.sp_cert,
      enabledAt: r.enabled_at,
      enabledBy: r.enabled_by,
      updatedAt: r.updated_at,
    }
  );
}

/** The accounts whose SAML is switched on (Home's certificate expiry, the ACS router). */
export function listEnabledSamlAccounts(db: Db): string[] {
  return (db.prepare('SELECT account_id FROM sso_saml WHERE enabled = 1').all() as Array<{ account_id: string }>).map(
    (r) => r.account_id,
  );
}

export function putSaml(db: Db, row: SamlRow): void {
  db.prepare(
    `INSERT INTO sso_saml (account_id, enabled, preset, idp_entity_id, idp_sso_url, idp_certs, idp_metadata_xml, acs_port,
                           name_id_format, user_attribute, allow_idp_initiated, clock_skew_seconds, allow_sha1,
                           sp_key_enc, sp_cert, enabled_at, enabled_by, updated_at)
     VALUES (@accountId, @enabled, @preset, @idpEntityId, @idpSsoUrl, @idpCerts, @idpMetadataXml, @acsPort,
             @nameIdFormat, @userAttribute, @allowIdpInitiated, @clockSkewSeconds, @allowSha1,
             @spKeyEnc, @spCert, @enabledAt, @enabledBy, @updatedAt)
     ON CONFLICT(account_id) DO UPDATE SET enabled = excluded.enabled, preset = excluded.preset,
       idp_entity_id = excluded.idp_entity_id, idp_sso_url = excluded.idp_sso_url, idp_certs = excluded.idp_certs,
       idp_metadata_xml = excluded.idp_metadata_xml, acs_port = excluded.acs_port,
       name_id_format = excluded.name_id_format, user_attribute = excluded.user_attribute,
       allow_idp_initiated = excluded.allow_idp_initiated, clock_skew_seconds = excluded.clock_skew_seconds,
       allow_sha1 = excluded.allow_sha1, sp_key_enc = excluded.sp_key_enc, sp_cert = excluded.sp_cert,
       enabled_at = excluded.enabled_at, enabled_by = excluded.enabled_by, updated_at = excluded.updated_at`,
  ).run({
    ...row,
    enabled: row.enabled ? 1 : 0,
    idpCerts: JSON.stringify(row.idpCerts),
    allowIdpInitiated: row.allowIdpInitiated ? 1 : 0,
    allowSha1: row.allowSha1 ? 1 : 0,
  });
}

/**
 * The replay cache: records an assertion ID for an account unless it was seen before and has not yet
 * expired. Returns false for a replay. Expired IDs of the account are dropped on the way.
 */
export function rememberAssertion(
  db: Db,
  accountId: string,
  assertionId: string,
  expiresAt: number,
  now: number,
): boolean {
  return db.transaction(() => {
    db.prepare('DELETE FROM saml_assertions_seen WHERE account_id = ? AND expires_at < ?').run(accountId, now);
    const r = db
      .prepare(
        'INSERT INTO saml_assertions_seen (account_id, assertion_id, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(accountId, assertionId, expiresAt);
    return r.changes === 1;
  })();
}

/** The embedded SAML IdP moved to another port: accounts that pointed at it follow. */
export function repointSamlIdp(db: Db, oldEntityId: string, to: { entityId: string; ssoUrl: string }): void {
  db.prepare('UPDATE sso_saml SET idp_entity_id = ?, idp_sso_url = ? WHERE idp_entity_id = ?').run(
    to.entityId,
    to.ssoUrl,
    oldEntityId,
  );
}
