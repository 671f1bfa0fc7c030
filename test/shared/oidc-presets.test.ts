import { describe, expect, it } from 'vitest';
import { OKTA_PROPOSED_PORT, redirectPortAfterPresetSwitch } from '../../src/shared/oidc-presets';

describe('switching preset and the redirect port', () => {
  it('proposes the fixed port a vendor that matches ports exactly needs (Okta), from "any port"', () => {
    expect(redirectPortAfterPresetSwitch('generic', 'okta', null)).toBe(OKTA_PROPOSED_PORT);
    expect(redirectPortAfterPresetSwitch('entra', 'okta', null)).toBe(OKTA_PROPOSED_PORT);
  });

  it('keeps a port the admin chose', () => {
    expect(redirectPortAfterPresetSwitch('generic', 'okta', 9001)).toBe(9001);
    expect(redirectPortAfterPresetSwitch('okta', 'entra', 9001)).toBe(9001);
    expect(redirectPortAfterPresetSwitch('generic', 'keycloak', 9001)).toBe(9001);
  });

  it('clears the port Okta proposed when the next vendor accepts any port', () => {
    expect(redirectPortAfterPresetSwitch('okta', 'entra', OKTA_PROPOSED_PORT)).toBeNull();
    expect(redirectPortAfterPresetSwitch('okta', 'generic', OKTA_PROPOSED_PORT)).toBeNull();
    expect(redirectPortAfterPresetSwitch('okta', 'keycloak', OKTA_PROPOSED_PORT)).toBeNull();
  });

  it('leaves "any port" alone between vendors that accept any port', () => {
    expect(redirectPortAfterPresetSwitch('generic', 'entra', null)).toBeNull();
    expect(redirectPortAfterPresetSwitch('ping', 'google', null)).toBeNull();
  });
});
