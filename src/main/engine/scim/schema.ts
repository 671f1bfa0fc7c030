/**
 * The schemas this endpoint serves (RFC 7643 §4, §8.7) and the discovery resources of RFC 7644 §4:
 * `/ServiceProviderConfig`, `/Schemas`, `/ResourceTypes`. Attribute metadata here also drives the
 * vendor-quirk layer (canonical attribute names, which attributes are boolean or read-only).
 */
export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SPC_URN = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RT_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

interface Attr {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime';
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned?: 'always' | 'never' | 'default' | 'request';
  uniqueness?: 'none' | 'server' | 'global';
  subAttributes?: Attr[];
  referenceTypes?: string[];
}

const s = (name: string, extra: Partial<Attr> = {}): Attr => ({ name, type: 'string', ...extra });
const multi = (name: string, subs: Attr[]): Attr => ({ name, type: 'complex', multiValued: true, subAttributes: subs });
const typed = [s('value'), s('display'), s('type'), { name: 'primary', type: 'boolean' } as Attr];

const USER_ATTRS: Attr[] = [
  s('userName', { required: true, uniqueness: 'server' }),
  {
    name: 'name',
    type: 'complex',
    subAttributes: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map(
      (n) => s(n),
    ),
  },
  s('displayName'),
  s('nickName'),
  s('profileUrl'),
  s('title'),
  s('userType'),
  s('preferredLanguage'),
  s('locale'),
  s('timezone'),
  { name: 'active', type: 'boolean' },
  s('password', { mutability: 'writeOnly', returned: 'never' }),
  multi('emails', typed),
  multi('phoneNumbers', typed),
  multi('ims', typed),
  multi('photos', typed),
  multi('addresses', [
    ...['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type'].map((n) => s(n)),
    { name: 'primary', type: 'boolean' },
  ]),
  {
    ...multi('groups', [
      s('value', { mutability: 'readOnly' }),
      s('display', { mutability: 'readOnly' }),
      s('type', { mutability: 'readOnly' }),
    ]),
    mutability: 'readOnly',
  },
  multi('entitlements', typed),
  multi('roles', typed),
  multi('x509Certificates', typed),
];

const ENTERPRISE_ATTRS: Attr[] = [
  s('employeeNumber'),
  s('costCenter'),
  s('organization'),
  s('division'),
  s('department'),
  {
    name: 'manager',
    type: 'complex',
    subAttributes: [s('value'), s('$ref'), s('displayName', { mutability: 'readOnly' })],
  },
];

const GROUP_ATTRS: Attr[] = [
  s('displayName', { required: true }),
  multi('members', [s('value', { mutability: 'immutable' }), s('$ref'), s('display'), s('type')]),
];

/** Every attribute name this endpoint knows, lower-cased → canonical ("username" → "userName"). */
export const CANONICAL = new Map<string, string>(
  [...USER_ATTRS, ...ENTERPRISE_ATTRS, ...GROUP_ATTRS, s('id'), s('externalId'), s('meta'), s('schemas')]
    .flatMap((a) => [a.name, ...(a.subAttributes ?? []).map((x) => x.name)])
    .map((n) => [n.toLowerCase(), n]),
);

/** Attribute names (sub-attributes by their own name) whose values are booleans. */
export const BOOLEAN_ATTRS = new Set(['active', 'primary']);

/** Keys an IdP may echo back that the server owns: dropped from no-path PATCH values and from PUT bodies. */
export const READ_ONLY_KEYS = new Set(['id', 'meta', 'groups']);

const meta = (base: string, type: string, id: string) => ({
  resourceType: type,
  location: `${base}/${type === 'Schema' ? 'Schemas' : 'ResourceTypes'}/${id}`,
});

const withDefaults = (a: Attr): Record<string, unknown> => ({
  name: a.name,
  type: a.type,
  multiValued: a.multiValued ?? false,
  description: '',
  required: a.required ?? false,
  caseExact: a.caseExact ?? false,
  mutability: a.mutability ?? 'readWrite',
  returned: a.returned ?? 'default',
  uniqueness: a.uniqueness ?? 'none',
  ...(a.subAttributes ? { subAttributes: a.subAttributes.map(withDefaults) } : {}),
});

export function schemasResource(base: string): Array<Record<string, unknown>> {
  const one = (id: string, name: string, attrs: Attr[]) => ({
    schemas: [SCHEMA_URN],
    id,
    name,
    description: `${name} (RFC 7643)`,
    attributes: attrs.map(withDefaults),
    meta: meta(base, 'Schema', id),
  });
  return [
    one(USER_URN, 'User', USER_ATTRS),
    one(ENTERPRISE_URN, 'EnterpriseUser', ENTERPRISE_ATTRS),
    one(GROUP_URN, 'Group', GROUP_ATTRS),
  ];
}

export function resourceTypes(base: string): Array<Record<string, unknown>> {
  return [
    {
      schemas: [RT_URN],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      schema: USER_URN,
      schemaExtensions: [{ schema: ENTERPRISE_URN, required: false }],
      meta: meta(base, 'ResourceType', 'User'),
    },
    {
      schemas: [RT_URN],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      schema: GROUP_URN,
      schemaExtensions: [],
      meta: meta(base, 'ResourceType', 'Group'),
    },
  ];
}

export const MAX_RESULTS = 1000;

export function serviceProviderConfig(base: string): Record<string, unknown> {
  return {
    schemas: [SPC_URN],
    documentationUrl: 'https://github.com/sso-desk/sso-desk/blob/main/docs/provisioning.md',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: true },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'The per-account token from Settings › Provisioning, as "Authorization: Bearer <token>"',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}
