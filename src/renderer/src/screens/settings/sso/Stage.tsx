import { useEffect, useState } from 'react';
import type { SsoStage } from '@shared/contract/oidc';
import { ROLES, type Role } from '@shared/domain';
import { describeStage } from '@shared/sso-stage';
import { api } from '@renderer/api';

/*
 * Staged enforcement on Settings › Security › SSO (issue #23, point 2): SSO is required for a chosen
 * set of members first — by role, or by a group the IdP provisions over SCIM — then for everyone. The
 * engine decides (engine/oidc/stage.ts); this screen chooses the stage and shows, before anything is
 * saved, who moves to SSO and who keeps a password, and why.
 */

export interface StagePreview {
  moving: string[];
  keeping: Array<{ email: string; why: string }>;
  groups: string[];
}

const ROLE_LABEL: Record<Role, string> = { owner: 'Owners', admin: 'Admins', member: 'Members' };

/** The engine's preview for a stage (sso.oidc.stagePreview), refreshed whenever the stage or break-glass changes. */
export function useStagePreview(account: string, stage: SsoStage | null, ownerPassword: boolean): StagePreview | null {
  const [preview, setPreview] = useState<StagePreview | null>(null);
  const key = JSON.stringify([stage, ownerPassword]);
  useEffect(() => {
    let live = true;
    void api.sso.oidc.stagePreview({ account, stage, ownerPassword }).then((r) => {
      if (live && r.ok) setPreview(r.value);
    });
    return () => {
      live = false;
    };
  }, [account, key]);
  return preview;
}

/** Fetched once, for a dialog: the preview of exactly what Save sends. */
export async function fetchStagePreview(
  account: string,
  stage: SsoStage | null,
  ownerPassword: boolean,
): Promise<StagePreview | null> {
  const r = await api.sso.oidc.stagePreview({ account, stage, ownerPassword });
  return r.ok ? r.value : null;
}

const users = (n: number) => `${n} ${n === 1 ? 'user' : 'users'}`;

/** Who moves to SSO and who keeps a password: in the section below and in the switch-on dialog alike. */
export function StageLists({ preview }: { preview: StagePreview }) {
  return (
    <div className="stage-lists">
      <p>
        <strong>Move to SSO: {users(preview.moving.length)}</strong>
      </p>
      <ul aria-label="Move to SSO">
        {preview.moving.length === 0 ? <li>nobody</li> : preview.moving.map((e) => <li key={e}>{e}</li>)}
      </ul>
      <p>
        <strong>Keep their password: {users(preview.keeping.length)}</strong>
      </p>
      <ul aria-label="Keep their password">
        {preview.keeping.length === 0 ? (
          <li>nobody</li>
        ) : (
          preview.keeping.map((k) => (
            <li key={k.email}>
              {k.email} — {k.why}
            </li>
          ))
        )}
      </ul>
    </div>
  );
}

/** The "Who needs SSO" section: everyone, or a first stage of roles and/or a SCIM group. */
export function StagedEnforcement(props: {
  accountName: string;
  stage: SsoStage | null;
  saved: SsoStage | null;
  preview: StagePreview | null;
  onChange: (stage: SsoStage | null) => void;
}) {
  const { stage, preview } = props;
  const groups = preview?.groups ?? [];
  const toggleRole = (role: Role, on: boolean) => {
    const roles = ROLES.filter((r) => (r === role ? on : (stage?.roles ?? []).includes(r)));
    props.onChange({ roles, group: stage?.group ?? null });
  };
  const changed = JSON.stringify(stage) !== JSON.stringify(props.saved);
  return (
    <section aria-labelledby="sso-stage-title" className="card">
      <h2 id="sso-stage-title">Who needs SSO</h2>
      <fieldset>
        <legend>Require SSO for</legend>
        <label className="check">
          <input type="radio" name="sso-stage" checked={stage === null} onChange={() => props.onChange(null)} />
          Everyone in {props.accountName}
        </label>
        <label className="check">
          <input
            type="radio"
            name="sso-stage"
            checked={stage !== null}
            onChange={() => props.onChange({ roles: [], group: null })}
          />
          A first stage: chosen roles or a group (the others keep their password for now)
        </label>
      </fieldset>
      {stage !== null && (
        <fieldset>
          <legend>First stage</legend>
          {ROLES.map((r) => (
            <label key={r} className="check">
              <input
                type="checkbox"
                checked={stage.roles.includes(r)}
                onChange={(e) => toggleRole(r, e.target.checked)}
              />
              {ROLE_LABEL[r]}
            </label>
          ))}
          <label htmlFor="sso-stage-group">Group (provisioned by SCIM)</label>
          <select
            id="sso-stage-group"
            value={stage.group ?? ''}
            onChange={(e) => props.onChange({ roles: stage.roles, group: e.target.value || null })}
          >
            <option value="">No group</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
          {groups.length === 0 && (
            <p className="muted">No group has been provisioned over SCIM for {props.accountName} yet.</p>
          )}
        </fieldset>
      )}
      <section aria-label="Who moves to SSO" aria-live="polite">
        <p>
          SSO is required for <strong>{describeStage(stage)}</strong>
          {changed ? ' once saved' : ''}.
        </p>
        {preview && <StageLists preview={preview} />}
      </section>
    </section>
  );
}
