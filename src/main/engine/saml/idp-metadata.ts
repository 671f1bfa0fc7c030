import { MD, DSIG, children, descendants, parseXmlSafely } from './xml-safety';
import { toPem } from './certificates';

export const BINDING_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
export const BINDING_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  /** The binding of that SSO URL: SSO Desk sends AuthnRequests by HTTP-Redirect, or HTTP-POST if that is all there is. */
  binding: string;
  /** Signing certificates (use="signing" or no use), PEM; several during a rollover. */
  certificates: string[];
  /** Every SSO binding the IdP lists, for Test connection. */
  bindings: string[];
}

/** What is wrong with a metadata document, naming the part of it. */
export class MetadataProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataProblem';
  }
}

/**
 * Reads an IdP's metadata (SAML 2.0 Metadata §2.4.3 IDPSSODescriptor): the entity ID, the
 * SingleSignOnService for HTTP-Redirect (else HTTP-POST), and the signing certificates.
 * @throws XmlRefused (not XML, a DOCTYPE) | MetadataProblem (no IDPSSODescriptor, no SSO service, no
 *   signing certificate, a certificate that does not parse).
 */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const doc = parseXmlSafely(xml, 'the IdP metadata');
  const root = doc.documentElement;
  let entity: Element | undefined;
  if (root.namespaceURI === MD && root.localName === 'EntityDescriptor') entity = root;
  else if (root.namespaceURI === MD && root.localName === 'EntitiesDescriptor')
    entity = descendants(root, MD, 'EntityDescriptor').find((e) => children(e, MD, 'IDPSSODescriptor').length > 0);
  if (!entity) throw new MetadataProblem('the document is not SAML metadata (no md:EntityDescriptor of an IdP)');
  const entityId = entity.getAttribute('entityID') ?? '';
  if (!entityId) throw new MetadataProblem('the EntityDescriptor has no entityID');
  const idp = children(entity, MD, 'IDPSSODescriptor')[0];
  if (!idp) throw new MetadataProblem(`${entityId} has no IDPSSODescriptor: it is not an identity provider`);
  const services = children(idp, MD, 'SingleSignOnService').map((s) => ({
    binding: s.getAttribute('Binding') ?? '',
    location: s.getAttribute('Location') ?? '',
  }));
  const chosen =
    services.find((s) => s.binding === BINDING_REDIRECT) ?? services.find((s) => s.binding === BINDING_POST);
  if (!chosen?.location)
    throw new MetadataProblem(
      `${entityId} lists no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding` +
        `${services.length ? ` (only ${services.map((s) => s.binding).join(', ')})` : ''}`,
    );
  const certificates: string[] = [];
  for (const kd of children(idp, MD, 'KeyDescriptor')) {
    const use = kd.getAttribute('use');
    if (use && use !== 'signing') continue;
    for (const c of descendants(kd, DSIG, 'X509Certificate')) {
      try {
        const pem = toPem(c.textContent ?? '');
        if (!certificates.includes(pem)) certificates.push(pem);
      } catch (error) {
        throw new MetadataProblem(`a signing certificate of ${entityId} does not parse: ${(error as Error).message}`);
      }
    }
  }
  if (certificates.length === 0)
    throw new MetadataProblem(`${entityId} lists no signing certificate (KeyDescriptor use="signing")`);
  return {
    entityId,
    ssoUrl: chosen.location,
    binding: chosen.binding,
    certificates,
    bindings: services.map((s) => s.binding),
  };
}

/**
 * How SSO Desk sends the AuthnRequest for saved settings: HTTP-Redirect, or HTTP-POST when the IdP's
 * metadata lists only HTTP-POST for the SSO URL in use. Typed by hand (no metadata): HTTP-Redirect.
 */
export function authnRequestBinding(cfg: {
  idpMetadataXml: string | null;
  idpSsoUrl: string;
}): 'HTTP-Redirect' | 'HTTP-POST' {
  if (!cfg.idpMetadataXml) return 'HTTP-Redirect';
  try {
    const m = parseIdpMetadata(cfg.idpMetadataXml);
    return m.binding === BINDING_POST && m.ssoUrl === cfg.idpSsoUrl ? 'HTTP-POST' : 'HTTP-Redirect';
  } catch {
    return 'HTTP-Redirect'; // saved metadata parsed when it was saved; never here
  }
}
